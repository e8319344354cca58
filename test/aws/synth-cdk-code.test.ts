import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Match } from "aws-cdk-lib/assertions";
import { tempApp } from "../support/temp-app.js";
import { logicalIdOf, type SynthesizedApp, synthesize } from "./synth-support.js";

const COGNITO_APP = new URL("../apps/cognito-iam-cdk", import.meta.url).pathname;

describe("CDK code in stacks is synthesized as written (cognito-iam-cdk: CDK v1 imports, user pool, client, role, tags)", () => {
  const root = mkdtempSync(join(tmpdir(), "gatehouse-cdk-code-"));
  let synth: SynthesizedApp;
  let pool: string;
  let client: string;
  let role: string;

  before(async () => {
    cpSync(COGNITO_APP, root, { recursive: true });
    synth = await synthesize(root);
    pool = logicalIdOf(synth.json, "AWS::Cognito::UserPool", () => true);
    client = logicalIdOf(synth.json, "AWS::Cognito::UserPoolClient", () => true);
    // CDK names a construct's logical id after its construct id ("ReportsRole"), as in a CDK app.
    const resources = synth.json.Resources as Record<string, { Type: string }>;
    role = Object.keys(resources).find((id) => id.startsWith("ReportsRole") && resources[id].Type === "AWS::IAM::Role")!;
    assert.ok(role, "the ReportsRole role is in the template");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test("the user pool with the props the stack gave it, and its removal policy", () => {
    synth.template.resourceCountIs("AWS::Cognito::UserPool", 1);
    synth.template.hasResourceProperties("AWS::Cognito::UserPool", {
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 8, RequireSymbols: false }) },
      UsernameAttributes: ["email"],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    });
    synth.template.hasResource("AWS::Cognito::UserPool", { DeletionPolicy: "Delete" });
  });

  test("the client made by pool.addClient, with its auth flows and Duration", () => {
    synth.template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      UserPoolId: { Ref: pool },
      ExplicitAuthFlows: Match.arrayWith(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]),
      AccessTokenValidity: 60,
    });
  });

  test("the IAM role, its managed policy, and the statement added with addToPolicy", () => {
    synth.template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: "lambda.amazonaws.com" } })] }),
    });
    synth.template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: role }],
      PolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Action: "s3:GetObject", Resource: "*" })] }),
    });
  });

  test("values read off those constructs become their real attributes: environment, grants, outputs", () => {
    synth.template.allResourcesProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          USER_POOL_ID: { Ref: pool },
          USER_POOL_CLIENT_ID: { Ref: client },
          REPORTS_ROLE_ARN: { "Fn::GetAtt": [role, "Arn"] },
        }),
      },
    });
    synth.template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Action: "cognito-idp:AdminGetUser", Resource: { "Fn::GetAtt": [pool, "Arn"] } })]),
      }),
    });
    synth.template.hasOutput("UserPoolId", { Value: { Ref: pool } });
    synth.template.hasOutput("UserPoolClientId", { Value: { Ref: client } });
  });

  test("Tags.of(this).add reaches the stack's resources", () => {
    synth.template.hasResourceProperties("AWS::IAM::Role", { Tags: Match.arrayWith([{ Key: "app", Value: "cognito-iam-cdk" }]) });
    synth.template.hasResourceProperties("AWS::Cognito::UserPool", { UserPoolTags: Match.objectLike({ app: "cognito-iam-cdk" }) });
  });
});

test("Tags.of on the stack and on an SST Api (todo-stacks-ts): the stack's resources and the HTTP API carry them", async () => {
  const root = mkdtempSync(join(tmpdir(), "gatehouse-cdk-tags-"));
  try {
    cpSync(new URL("../apps/todo-stacks-ts", import.meta.url).pathname, root, { recursive: true });
    const synth = await synthesize(root);
    synth.template.hasResourceProperties("AWS::ApiGatewayV2::Api", { Tags: Match.objectLike({ component: "api", service: "todo" }) });
    synth.template.allResourcesProperties("AWS::IAM::Role", { Tags: Match.arrayWith([{ Key: "service", Value: "todo" }]) });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

describe("CDK code that cannot be carried over to AWS", () => {
  const stackApp = (body: string, top = "") =>
    tempApp({
      "sst.json": JSON.stringify({ name: "cdk-code", region: "us-east-1" }),
      "stacks/index.js": `import * as sst from "@serverless-stack/resources";
import * as cdk from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as sqs from "aws-cdk-lib/aws-sqs";
import * as pipes from "@aws-cdk/aws-pipes-alpha";
import * as iam from "aws-cdk-lib/aws-iam";
${top}
export default function main(app) {
  const stack = new sst.Stack(app, "code");
  new sst.Api(stack, "Api", { routes: { "GET /": "src/hello.main" } });
${body}
}
`,
      "src/hello.js": "export const main = async () => ({ statusCode: 200, body: 'hi' });\n",
    });

  test("a callback passed as a prop: refused, naming the file and line", async () => {
    const app = stackApp(`  new sqs.Queue(stack, "Jobs", { visibilityTimeout: () => 30 });`);
    try {
      await assert.rejects(synthesize(app.root), (err: { code?: string; message: string }) => {
        assert.equal(err.code, "GH_ERR_AWS_UNSUPPORTED");
        assert.match(err.message, /^stacks\/index\.js:11: a function/);
        return true;
      });
    } finally {
      app.remove();
    }
  });

  test("a module aws-cdk-lib v2 does not hold: refused, naming the module", async () => {
    const app = stackApp(`  new pipes.Pipe(stack, "Pipe", { source: "x", target: "y" });`);
    try {
      await assert.rejects(synthesize(app.root), (err: { code?: string; message: string }) => {
        assert.equal(err.code, "GH_ERR_AWS_UNSUPPORTED");
        assert.match(err.message, /stacks\/index\.js:11: @aws-cdk\/aws-pipes-alpha is not part of aws-cdk-lib v2/);
        return true;
      });
    } finally {
      app.remove();
    }
  });

  test("props aws-cdk-lib refuses: refused with CDK's reason and the line", async () => {
    const app = stackApp(`  new sqs.Queue(stack, "Jobs", { visibilityTimeout: cdk.Duration.hours(13) });`);
    try {
      await assert.rejects(synthesize(app.root), (err: { code?: string; message: string }) => {
        assert.equal(err.code, "GH_ERR_AWS_UNSUPPORTED");
        assert.match(err.message, /^stacks\/index\.js:11: the CDK code here failed .*visibility timeout/i);
        return true;
      });
    } finally {
      app.remove();
    }
  });

  test("a tag on an SST construct this target does not tag (a Cron): left out, said once", async () => {
    const app = stackApp(`  const cron = new sst.Cron(stack, "Nightly", { schedule: "rate(1 day)", job: "src/hello.main" });
  cdk.Tags.of(cron).add("team", "ops");`);
    try {
      const synth = await synthesize(app.root);
      assert.ok(
        synth.notices.some((notice) => /^stacks\/index\.js:12: the tag team=ops is on an object of class Cron, which this target does not tag on AWS; it is left out\.$/.test(notice)),
        synth.notices.join("\n"),
      );
      synth.template.resourceCountIs("AWS::Events::Rule", 1);
    } finally {
      app.remove();
    }
  });

  test("a plain CDK queue, a function's runtime and a value made when the stacks load, as written", async () => {
    const app = stackApp(
      `  new sqs.Queue(stack, "Jobs", { visibilityTimeout: cdk.Duration.minutes(5), fifo: true });
  new iam.Role(stack, "Runner", { assumedBy: principal });
  new lambda.Function(stack, "Raw", { runtime: lambda.Runtime.NODEJS_22_X, handler: "index.main", code: lambda.Code.fromInline("exports.main = async () => 1;") });`,
      `const principal = new iam.ServicePrincipal("states.amazonaws.com");`,
    );
    try {
      const synth = await synthesize(app.root);
      synth.template.hasResourceProperties("AWS::SQS::Queue", { VisibilityTimeout: 300, FifoQueue: true });
      synth.template.hasResourceProperties("AWS::Lambda::Function", { Runtime: "nodejs22.x", Handler: "index.main", Code: { ZipFile: "exports.main = async () => 1;" } });
      synth.template.hasResourceProperties("AWS::IAM::Role", {
        AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: "states.amazonaws.com" } })] }),
      });
    } finally {
      app.remove();
    }
  });
});
