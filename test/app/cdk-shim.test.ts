import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../src/app/load-config.js";
import { synthApp } from "../../src/app/synth-app.js";
import { unemulatedToken } from "../../src/manifest/tokens.js";
import { stackApp } from "../support/temp-app.js";

const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups) cleanup();
});

async function synth(body: string, imports: string, extra: Record<string, string> = {}) {
  const app = stackApp(body, extra);
  // The stack file gets the imports the test needs, above the ones stackApp writes.
  const { readFileSync, writeFileSync } = await import("node:fs");
  const file = `${app.root}/stacks/index.js`;
  writeFileSync(file, `${imports}\n${readFileSync(file, "utf8")}`);
  cleanups.push(app.remove);
  return (await synthApp(loadConfig(app.root))).manifest;
}

describe("CDK code in stacks", () => {
  test("any CDK v1 or v2 construct is recorded once with file:line; values read off it print as tokens", async () => {
    const manifest = await synth(
      `
      const queue = new sqs.Queue(this, "Jobs", { visibilityTimeout: cdk.Duration.seconds(30) });
      const pool = new UserPool(this, "Pool", {});
      const imported = cognito.UserPool.fromUserPoolId(this, "Imported", "us-east-1_abc");
      const principal = new iam.ServicePrincipal("lambda.amazonaws.com");
      const client = new cognito.UserPoolClient(pool, "Client", { userPool: pool });
      new sst.NextjsSite(this, "Web", { path: "web" });
      this.addOutputs({ Queue: queue.queueUrl, Pool: \`pool=\${pool.userPoolId}\`, Client: client.userPoolClientId, Chained: pool.node.defaultChild.ref });
      void imported; void principal;
    `,
      `import * as sqs from "aws-cdk-lib/aws-sqs";
import * as cognito from "@aws-cdk/aws-cognito";
import { UserPool } from "aws-cdk-lib/aws-cognito";
import * as iam from "@aws-cdk/aws-iam";
import * as cdk from "aws-cdk-lib";`,
    );
    assert.deepEqual(
      manifest.unemulated.map((entry) => [entry.kind, entry.id, entry.stackId, entry.location]),
      [
        ["sqs.Queue", "Jobs", "test-stack", "stacks/index.js:12"],
        ["cognito.UserPool", "Pool", "test-stack", "stacks/index.js:13"],
        ["cognito.UserPoolClient", "Client", "test-stack", "stacks/index.js:16"],
        ["sst.NextjsSite", "Web", "test-stack", "stacks/index.js:17"],
      ],
    );
    assert.equal(manifest.notices.filter((notice) => notice.includes("is not emulated locally")).length, 4);
    assert.ok(manifest.notices.includes('stacks/index.js:13: cognito.UserPool "Pool" is not emulated locally; routes that need it will fail at call time'));
    const outputs = manifest.stacks[0].outputs;
    assert.equal(outputs.Queue, unemulatedToken("test-stack/Jobs.queueUrl"));
    assert.equal(outputs.Pool, `pool=${unemulatedToken("test-stack/Pool.userPoolId")}`);
    assert.equal(outputs.Pool, "pool=$" + "{Token[Gatehouse.Unemulated.test-stack/Pool.userPoolId]}");
    assert.match(outputs.Chained, /^\$\{Token\[Gatehouse\.Unemulated\./);
  });

  test("the CDK code is recorded for cloud targets: ops in order with file:line, arguments as data, each token's value", async () => {
    const manifest = await synth(
      `
      const pool = new cognito.UserPool(this, "Pool", { selfSignUpEnabled: true, removalPolicy: cdk.RemovalPolicy.DESTROY });
      const web = pool.addClient("Web", { accessTokenValidity: cdk.Duration.hours(1) });
      const mobile = pool.addClient("Mobile", {});
      const role = new iam.Role(this, "Role", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });
      role.addToPolicy(new iam.PolicyStatement({ actions: ["s3:GetObject"], resources: [pool.userPoolArn] }));
      cdk.Tags.of(this).add("team", "notes");
      new sqs.Queue(this, "Jobs", { deadLetterQueue: { queue: () => 1, maxReceiveCount: 3 } });
      this.addOutputs({ Web: web.userPoolClientId, Mobile: mobile.userPoolClientId });
    `,
      `import * as sqs from "aws-cdk-lib/aws-sqs";
import * as cognito from "@aws-cdk/aws-cognito";
import * as iam from "@aws-cdk/aws-iam";
import * as cdk from "@aws-cdk/core";`,
    );
    const { ops, values } = manifest.cdkCode;
    assert.deepEqual(
      ops.map((op) => [op.op, op.location]),
      [
        ["new", "stacks/index.js:11"],
        ["call", "stacks/index.js:12"],
        ["call", "stacks/index.js:13"],
        ["new", "stacks/index.js:14"],
        ["new", "stacks/index.js:14"],
        ["call", "stacks/index.js:15"],
        ["tag", "stacks/index.js:16"],
        ["new", "stacks/index.js:17"],
      ],
    );
    // CDK v1 module names are recorded as aws-cdk-lib v2's; the scope `this` is the SST stack.
    assert.deepEqual(ops[0], {
      op: "new",
      ref: 0,
      target: { class: { module: "aws-cdk-lib/aws-cognito", name: "UserPool" } },
      args: [{ stack: "test-stack" }, "Pool", { obj: { selfSignUpEnabled: true, removalPolicy: "destroy" } }],
      location: "stacks/index.js:11",
    });
    assert.deepEqual(ops[1], { op: "call", ref: 1, target: { get: [{ ref: 0 }, "addClient"] }, args: ["Web", { obj: { accessTokenValidity: { duration: 3600 } } }], location: "stacks/index.js:12" });
    const statement = ops.find((op) => op.op === "call" && JSON.stringify(op.target).includes("addToPolicy"));
    assert.deepEqual(statement && "args" in statement ? statement.args : null, [
      { statement: { effect: "Allow", actions: ["s3:GetObject"], resources: [unemulatedToken("test-stack/Pool.userPoolArn")] } },
    ]);
    assert.deepEqual(ops[6], { op: "tag", scope: { stack: "test-stack" }, key: "team", value: "notes", location: "stacks/index.js:16" });
    // What cannot be carried over is written down, not thrown: only a cloud target refuses it.
    assert.match(JSON.stringify(ops[7]), /"unsupported":"a function \(queue\)"/);
    // Two calls of one method keep apart: each client's id token finds its own client.
    const outputs = manifest.stacks[0].outputs;
    assert.equal(outputs.Web, unemulatedToken("test-stack/Pool.addClient().userPoolClientId"));
    assert.equal(outputs.Mobile, unemulatedToken("test-stack/Pool.addClient()#2.userPoolClientId"));
    assert.deepEqual(values["test-stack/Pool.addClient().userPoolClientId"], { get: [{ ref: 1 }, "userPoolClientId"] });
    assert.deepEqual(values["test-stack/Pool.addClient()#2.userPoolClientId"], { get: [{ ref: 2 }, "userPoolClientId"] });
  });

  test("core helpers: CfnOutput, Tags, Duration, RemovalPolicy, Aws, Stack.of, node.root, getAllFunctions, functionArn, httpApi.apiId", async () => {
    const manifest = await synth(
      `
      const api = new sst.Api(this, "Api", { defaultFunctionProps: { timeout: Duration.minutes(1) }, routes: { "GET /": "src/hello.main" } });
      Tags.of(this).add("team", "core");
      new CfnOutput(this, "Region", { value: Aws.REGION });
      new CfnOutput(this, "Root", { value: String(this.node.root === scope && Stack.of(api) === this) });
      new CfnOutput(this, "Arn", { value: this.getAllFunctions()[0].functionArn });
      new CfnOutput(this, "ApiId", { value: api.httpApi.apiId });
      new CfnOutput(this, "Policy", { value: RemovalPolicy.DESTROY });
      new CfnOutput(this, "Stage", { value: api.httpApi.defaultStage.stageName });
    `,
      `import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Tags } from "aws-cdk-lib";`,
    );
    const outputs = manifest.stacks[0].outputs;
    assert.equal(outputs.Region, "us-east-1");
    assert.equal(outputs.Root, "true");
    assert.match(outputs.Arn, /^arn:aws:lambda:us-east-1:123456789012:function:dev-test-app-test-stack-/);
    assert.match(outputs.ApiId, /^[a-z0-9]{10}$/);
    assert.equal(outputs.Policy, "destroy");
    assert.equal(outputs.Stage, unemulatedToken("test-stack/Api.httpApi.defaultStage.stageName"));
    assert.deepEqual(manifest.unemulated, []);
    assert.equal(Object.values(manifest.functions)[0].timeout, 60);
  });

  test("iam.PolicyStatement and SST's permission strings reach the manifest as written, for a cloud target", async () => {
    const manifest = await synth(
      `
      const api = new sst.Api(this, "Api", { routes: { "GET /": "src/hello.main" } });
      api.attachPermissions(["s3", "dynamodb:GetItem", new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ["sns:Publish"], resources: ["arn:x"] })]);
    `,
      `import * as iam from "@aws-cdk/aws-iam";`,
    );
    // Strings stay in SST's grammar (docs/aws-target.md, "Permissions"); a statement becomes data.
    assert.deepEqual(Object.values(manifest.functions)[0].permissions, [
      "s3",
      "dynamodb:GetItem",
      { effect: "Deny", actions: ["sns:Publish"], resources: ["arn:x"] },
    ]);
  });

  test("__dirname and __filename in stacks are the stack file's own", async () => {
    const manifest = await synth(`this.addOutputs({ Dir: __dirname, File: __filename });`, "");
    const outputs = manifest.stacks[0].outputs;
    assert.equal(outputs.File, `${manifest.app.root}/stacks/index.js`);
    assert.equal(outputs.Dir, `${manifest.app.root}/stacks`);
  });
});
