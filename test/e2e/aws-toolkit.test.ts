import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { awsTestEnv, FAKE_AWS_KEYS, runGatehouseAsync as run } from "../support/aws-env.js";
import { type FakeAws, startFakeAws } from "../support/fake-aws.js";
import { isolatedHost } from "../support/host-env.js";
import { tempApp } from "../support/temp-app.js";

describe("the AWS target through the CDK toolkit, against a local stand-in for AWS", () => {
  const app = tempApp();
  const host = isolatedHost();
  let aws: FakeAws;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    aws = await startFakeAws({ listed: [{ name: "prod-other-app-api", app: "other-app", stage: "prod", endpoint: "https://abc123.execute-api.us-east-1.amazonaws.com" }] });
    env = awsTestEnv(host.home, {
      GATEHOUSE_HOME: host.home,
      ...FAKE_AWS_KEYS,
      AWS_ENDPOINT_URL: aws.endpoint,
    });
  });
  after(async () => {
    await aws.close();
    app.remove();
    host.cleanup();
  });

  test("deploy synthesizes, hands the assembly to the toolkit, and AWS's refusal comes back as one coded error", async () => {
    const result = await run(["deploy", "--stage", "prod", "--target", "aws"], app.root, env);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /Synthesizing 1 stack\(s\) for AWS \(us-east-1\)\n/);
    assert.match(result.stdout, /prod-api-auth-jwt-auth0-my-stack: deploying\.\.\./);
    assert.match(result.stderr, /^Error \[GH_ERR_AWS_DEPLOY_FAILED\]: AWS denied an action/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    assert.ok(aws.calls.includes("GetCallerIdentity"));
    assert.ok(aws.calls.some((call) => call.startsWith("AmazonSSM.GetParameter")), "the toolkit checked the bootstrap version");
  });

  test("remove of a stage AWS does not have: the toolkit finds no stack, a coded not-found", async () => {
    const result = await run(["remove", "--stage", "prod", "--target", "aws"], app.root, env);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /^Error \[GH_ERR_STAGE_NOT_FOUND\]/);
  });

  test("list shows the AWS stages beside the host's", async () => {
    const result = await run(["list"], app.root, env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /aws\s+other-app\s+prod\s+CREATE_COMPLETE\s+https:\/\/abc123\.execute-api\.us-east-1\.amazonaws\.com/);
  });
});

describe("a whole deploy and remove through the CDK toolkit, against a local stand-in for an AWS account that is bootstrapped", () => {
  const app = tempApp();
  let aws: FakeAws;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    aws = await startFakeAws({ deployable: true, endpoint: "https://abc123.execute-api.us-east-1.amazonaws.com" });
    env = awsTestEnv(app.root, {
      ...FAKE_AWS_KEYS,
      AWS_ENDPOINT_URL: aws.endpoint,
    });
  });
  after(async () => {
    await aws.close();
    app.remove();
  });

  test("deploy --stage prod --target aws: uploads the assets, prints resource events, then the outputs block as SST does", async () => {
    const result = await run(["deploy", "--stage", "prod", "--target", "aws"], app.root, env);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /prod-api-auth-jwt-auth0-my-stack \| CREATE_COMPLETE \| AWS::ApiGatewayV2::Api \| ApiF70053CD\n/);
    assert.match(
      result.stdout,
      /Deployed to AWS \(us-east-1\)\.\n\nStack prod-api-auth-jwt-auth0-my-stack\n {2}Status: deployed\n {2}Outputs:\n {4}ApiEndpoint: https:\/\/abc123\.execute-api\.us-east-1\.amazonaws\.com\n/,
    );
    assert.equal(aws.calls.filter((call) => call.startsWith("PUT ")).length, 3, "two function bundles and the template were uploaded");
    assert.ok(aws.calls.includes("ExecuteChangeSet"));
  });

  test("remove --stage prod --target aws destroys the stack", async () => {
    const result = await run(["remove", "--stage", "prod", "--target", "aws"], app.root, env);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(aws.calls.includes("DeleteStack"));
    assert.match(result.stdout, /Stack prod-api-auth-jwt-auth0-my-stack\n {2}Status: removed\nRemoved stage prod of api-auth-jwt-auth0\.\n/);
  });
});
