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
