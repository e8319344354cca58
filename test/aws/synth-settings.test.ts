import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import { Match } from "aws-cdk-lib/assertions";
import { tempApp } from "../support/temp-app.js";
import { logicalIdOf, synthesize } from "./synth-support.js";

const STACK = `import * as sst from "@serverless-stack/resources";
import * as authorizers from "@aws-cdk/aws-apigatewayv2-authorizers-alpha";
import * as iam from "aws-cdk-lib/aws-iam";

class ApiStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const api = new sst.Api(this, "Api", {
      defaultAuthorizer: new authorizers.HttpJwtAuthorizer("Jwt", "https://tenant.eu.auth0.com/", {
        jwtAudience: ["aud-one", "aud-two"],
        identitySource: ["$request.querystring.token"],
      }),
      defaultAuthorizationType: sst.ApiAuthorizationType.JWT,
      cors: { allowOrigins: ["https://app.example.com"], allowMethods: ["GET", "POST"], allowHeaders: ["authorization"], allowCredentials: true, maxAge: "1 day" },
      routes: {
        "GET /notes": { function: "src/notes.main", authorizationScopes: ["notes:read"] },
        "ANY /files/{proxy+}": { function: "src/files.main", authorizationType: sst.ApiAuthorizationType.NONE },
        "$default": { function: "src/fallback.main", authorizationType: sst.ApiAuthorizationType.NONE },
        "POST /slow": {
          function: { handler: "src/slow.main", timeout: 30, memorySize: 512, runtime: "nodejs22.x", logRetention: 7, environment: { MODE: "slow" } },
          authorizationType: sst.ApiAuthorizationType.NONE,
        },
      },
    });
    api.attachPermissions(["s3", "sqs:SendMessage", "arn:aws:dynamodb:us-east-1:123456789012:table/notes"]);
    api.attachPermissionsToRoute("POST /slow", [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ["s3:DeleteObject"], resources: ["arn:aws:s3:::archive/*"] })]);
    this.addOutputs({ ApiEndpoint: api.url, "Notes-Route": "GET /notes" });
    this.api = api;
  }
}

export default function main(app) {
  app.setDefaultFunctionProps({ environment: { SHARED: "yes" } });
  const stack = new ApiStack(app, "api");
}
`;

const handler = (body: string) => `export async function main() { return { statusCode: 200, body: ${JSON.stringify(body)} }; }\n`;

describe("synth of an app with {proxy+}, $default, CORS, scopes, function settings and permissions", () => {
  const app = tempApp({
    "sst.json": JSON.stringify({ name: "settings-app", region: "eu-west-1" }),
    "stacks/index.js": STACK,
    "src/notes.js": handler("notes"),
    "src/files.js": handler("files"),
    "src/fallback.js": handler("fallback"),
    "src/slow.js": handler("slow"),
  });
  after(() => app.remove());
  let synth: Awaited<ReturnType<typeof synthesize>>;

  test("routes keep their keys, authorization and scopes", async () => {
    synth = await synthesize(app.root, "staging");
    const { template } = synth;
    assert.equal(synth.stackName, "staging-settings-app-api");
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "GET /notes", AuthorizationType: "JWT", AuthorizationScopes: ["notes:read"] });
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "ANY /files/{proxy+}", AuthorizationType: "NONE" });
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "$default", AuthorizationType: "NONE" });
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      IdentitySource: ["$request.querystring.token"],
      JwtConfiguration: { Issuer: "https://tenant.eu.auth0.com/", Audience: ["aud-one", "aud-two"] },
    });
    template.resourceCountIs("AWS::Lambda::Permission", 4);
  });

  test("CORS as configured", () => {
    synth.template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      CorsConfiguration: {
        AllowOrigins: ["https://app.example.com"],
        AllowMethods: ["GET", "POST"],
        AllowHeaders: ["authorization"],
        AllowCredentials: true,
        MaxAge: 86400,
      },
    });
  });

  test("per-function timeout, memory, runtime, environment (defaults merged, source maps on) and log retention", () => {
    const slow = Object.values(synth.manifest.functions).find((fn) => fn.handler === "src/slow.main")!;
    const notes = Object.values(synth.manifest.functions).find((fn) => fn.handler === "src/notes.main")!;
    synth.template.hasResourceProperties("AWS::Lambda::Function", {
      Handler: `${slow.id}.main`,
      Timeout: 30,
      MemorySize: 512,
      Runtime: "nodejs22.x",
      Environment: { Variables: { MODE: "slow", SHARED: "yes", NODE_OPTIONS: "--enable-source-maps" } },
    });
    synth.template.hasResourceProperties("AWS::Lambda::Function", {
      Handler: `${notes.id}.main`,
      Timeout: 10,
      MemorySize: 1024,
      Environment: { Variables: { SHARED: "yes", MODE: Match.absent() } },
    });
    synth.template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 7 });
    synth.template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
  });

  test("attached permissions are IAM grants on the functions' roles", () => {
    const slow = Object.values(synth.manifest.functions).find((fn) => fn.handler === "src/slow.main")!;
    assert.deepEqual(slow.permissions.slice(0, 3), ["s3", "sqs:SendMessage", "arn:aws:dynamodb:us-east-1:123456789012:table/notes"]);
    const policies = synth.template.findResources("AWS::IAM::Policy");
    assert.equal(Object.keys(policies).length, 4, "one policy per function");
    const slowRole = logicalIdOf(synth.json, "AWS::Lambda::Function", (props) => props.Handler === `${slow.id}.main`);
    const slowRoleRef = (synth.json.Resources as Record<string, { Properties: { Role: { "Fn::GetAtt": string[] } } }>)[slowRole].Properties.Role["Fn::GetAtt"][0];
    synth.template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: slowRoleRef }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: "s3:*", Effect: "Allow", Resource: "*" }),
          Match.objectLike({ Action: "sqs:SendMessage", Effect: "Allow", Resource: "*" }),
          Match.objectLike({ Action: "dynamodb:*", Effect: "Allow", Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/notes" }),
          Match.objectLike({ Action: "s3:DeleteObject", Effect: "Deny", Resource: "arn:aws:s3:::archive/*" }),
        ]),
      },
    });
  });

  test("outputs in the order declared, ApiEndpoint first, tokens resolved to the API's endpoint", () => {
    const outputs = synth.json.Outputs as Record<string, { Value: unknown }>;
    assert.deepEqual(Object.keys(outputs), ["ApiEndpoint", "NotesRoute"]);
    const apiId = logicalIdOf(synth.json, "AWS::ApiGatewayV2::Api", () => true);
    assert.deepEqual(outputs.ApiEndpoint.Value, { "Fn::GetAtt": [apiId, "ApiEndpoint"] });
    assert.equal(outputs.NotesRoute.Value, "GET /notes");
  });

  test("synthesizing twice gives byte-identical templates", async () => {
    const again = await synthesize(app.root, "staging", `${app.root}/second-out`);
    const first = readFileSync(`${synth.assemblyDir}/${synth.stackName}.template.json`);
    const second = readFileSync(`${again.assemblyDir}/${again.stackName}.template.json`);
    assert.ok(first.equals(second), "the two templates differ");
  });
});

describe("names CloudFormation refuses", () => {
  const app = tempApp({
    "sst.json": JSON.stringify({ name: "named-app" }),
    "stacks/index.js": `import * as sst from "@serverless-stack/resources";
export default function main(app) {
  const stack = new sst.Stack(app, "api");
  new sst.Api(stack, "Api", { routes: { "GET /": "src/hello.main" } });
}
`,
    "src/hello.js": handler("hello"),
  });
  after(() => app.remove());

  test("a stage with an underscore makes a stack name CloudFormation refuses: a coded error before anything is built", async () => {
    await assert.rejects(synthesize(app.root, "my_stage"), (err: { code?: string; message?: string }) => {
      assert.equal(err.code, "GH_ERR_AWS_UNSUPPORTED");
      assert.match(err.message ?? "", /my_stage-named-app-api/);
      return true;
    });
  });
});
