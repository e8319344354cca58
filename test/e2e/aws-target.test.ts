import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import { awsTestEnv, runGatehouse, unreachableAwsEnv } from "../support/aws-env.js";
import { isolatedHost } from "../support/host-env.js";
import { stackApp, tempApp } from "../support/temp-app.js";

const ERROR_LINE = /^Error \[(GH_ERR_[A-Z_]+)\]: /;

/** The codes of the `Error [GH_ERR_…]` lines a command printed. */
function errorCodes(stderr: string): string[] {
  return stderr.split("\n").flatMap((line) => ERROR_LINE.exec(line)?.[1] ?? []);
}

describe("gatehouse synth, deploy, remove and list with --target aws (never contacting AWS)", () => {
  const app = tempApp();
  const host = isolatedHost();
  after(() => {
    app.remove();
    host.cleanup();
  });

  test("synth --stage prod writes the assembly, and a second synth writes the same template bytes", () => {
    const env = awsTestEnv(host.home);
    const first = runGatehouse(["synth", "--stage", "prod"], app.root, env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Notice: runtime "nodejs14\.x" is no longer accepted by AWS Lambda/);
    assert.match(first.stdout, /prod-api-auth-jwt-auth0-my-stack {2}\.gatehouse\/prod\/cdk\.out\/prod-api-auth-jwt-auth0-my-stack\.template\.json/);
    const bytes = readFileSync(`${app.root}/.gatehouse/prod/cdk.out/prod-api-auth-jwt-auth0-my-stack.template.json`);
    const second = runGatehouse(["synth", "--stage", "prod", "--out", "again"], app.root, env);
    assert.equal(second.code, 0, second.stderr);
    assert.ok(bytes.equals(readFileSync(`${app.root}/again/prod-api-auth-jwt-auth0-my-stack.template.json`)));
  });

  test("deploy --target aws without credentials: exit 1 and one coded message naming where credentials are read", () => {
    const result = runGatehouse(["deploy", "--stage", "prod", "--target", "aws"], app.root, awsTestEnv(host.home), 30_000);
    assert.equal(result.code, 1);
    assert.deepEqual(errorCodes(result.stderr), ["GH_ERR_AWS_NO_CREDENTIALS"]);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.equal(result.stdout, "", "nothing was built");
    for (const place of ["AWS_ACCESS_KEY_ID", "~/.aws/credentials", "~/.aws/config", "SSO"]) assert.ok(result.stderr.includes(place), place);
  });

  test("remove --target aws without credentials stops the same way", () => {
    const result = runGatehouse(["remove", "--stage", "prod", "--target", "aws"], app.root, awsTestEnv(host.home), 30_000);
    assert.equal(result.code, 1);
    assert.deepEqual(errorCodes(result.stderr), ["GH_ERR_AWS_NO_CREDENTIALS"]);
  });

  test("sst.json's gatehouse.target makes aws the default", () => {
    const config = JSON.parse(readFileSync(`${app.root}/sst.json`, "utf8"));
    app.write("sst.json", JSON.stringify({ ...config, gatehouse: { target: "aws" } }));
    try {
      const result = runGatehouse(["deploy", "--stage", "prod"], app.root, awsTestEnv(host.home), 30_000);
      assert.deepEqual(errorCodes(result.stderr), ["GH_ERR_AWS_NO_CREDENTIALS"]);
    } finally {
      app.write("sst.json", JSON.stringify(config));
    }
  });

  test("deploy --target aws with fake credentials and an endpoint on a closed local port: exit 1, a coded network error", async () => {
    const result = runGatehouse(["deploy", "--stage", "prod", "--target", "aws"], app.root, await unreachableAwsEnv(host.home), 60_000);
    assert.equal(result.code, 1);
    assert.deepEqual(errorCodes(result.stderr), ["GH_ERR_AWS_UNREACHABLE"]);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
  });

  test("list: host stages, and one line about AWS when there are no credentials", () => {
    const result = runGatehouse(["list"], app.root, { ...awsTestEnv(host.home), ...host.env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /No deployed stages\.\nAWS: no credentials/);
  });

  test("--target with an unknown name is a usage error", () => {
    const result = runGatehouse(["deploy", "--target", "gcp"], app.root, awsTestEnv(host.home));
    assert.equal(result.code, 2);
    assert.deepEqual(errorCodes(result.stderr), ["GH_ERR_USAGE"]);
  });
});

describe("synth of an app using the self-hosted Auth tenant", () => {
  const app = stackApp(`
    const auth = new sst.Auth(this, "Tenant", { applications: [{ name: "web" }] });
    const api = new sst.Api(this, "Api", { routes: { "GET /": "src/hello.main" } });
    this.addOutputs({ ApiEndpoint: api.url });
  `);
  after(() => app.remove());

  test("exit 1 naming Auth, its file:line and what to use on AWS instead", () => {
    const result = runGatehouse(["synth"], app.root, awsTestEnv(app.root));
    assert.equal(result.code, 1);
    assert.deepEqual(errorCodes(result.stderr), ["GH_ERR_AWS_UNSUPPORTED"]);
    assert.match(result.stderr, /stacks\/index\.js:7: Auth "Tenant"/);
    assert.match(result.stderr, /Cognito/);
    assert.match(result.stderr, /Auth0/);
  });
});
