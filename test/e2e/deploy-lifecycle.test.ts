import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { type TestIssuer, type TestKey, makeKey, signToken, startTestIssuer } from "../auth/test-issuer.js";
import { type CliProcess, startCli } from "../support/cli-process.js";
import { endpointIn, isolatedHost } from "../support/host-env.js";
import { tempApp } from "../support/temp-app.js";

describe("the walkthrough's tail: deploy --stage prod, dev beside it, remove", () => {
  const host = isolatedHost();
  const app = tempApp();
  let issuer: TestIssuer;
  let key: TestKey;
  let dev: CliProcess | undefined;

  before(async () => {
    key = await makeKey("prod-key");
    issuer = await startTestIssuer([key]);
    // The prod stage trusts a loopback issuer the test runs; dev keeps the walkthrough's tenant.
    const stack = readFileSync(`${app.root}/stacks/MyStack.js`, "utf8").replace(
      `"https://myorg.us.auth0.com/"`,
      `scope.stage === "prod" ? "${issuer.issuer}" : "https://myorg.us.auth0.com/"`,
    );
    app.write("stacks/MyStack.js", stack);
  });
  after(async () => {
    await dev?.stop();
    await host.cleanup();
    await issuer.close();
    app.remove();
  });

  let prod: string;

  test("deploy --stage prod prints what SST prints and serves /public and /private", async () => {
    const deploy = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(deploy.code, 0, deploy.out);
    assert.match(deploy.out, /Stack prod-api-auth-jwt-auth0-my-stack\n {2}Status: deployed\n {2}Outputs:\n {4}ApiEndpoint: http:\/\/127\.0\.0\.1:\d+/);
    prod = endpointIn(deploy.out);
    assert.equal(await (await fetch(`${prod}/public`)).text(), "Hello stranger!");
    const now = Math.floor(Date.now() / 1000);
    const token = await signToken(key, { iss: issuer.issuer, aud: "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif", sub: "auth0|60357a6d98e3e5006a9d74a3", iat: now, exp: now + 600 });
    const response = await fetch(`${prod}/private`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(await response.text(), "Hello user!");
    assert.equal((await fetch(`${prod}/private`)).status, 401);
  });

  test("an unchanged app redeploys as a no-op on the same endpoint", async () => {
    const again = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /No changes: version 1 stays live/);
    assert.equal(endpointIn(again.out), prod);
  });

  test("dev (stage dev) and prod run side by side", async () => {
    dev = startCli(["dev", "--port", "0", "--idp-port", "0"], app.root, host.env);
    const devUrl = (await dev.waitFor(/ApiEndpoint: (http:\/\/127\.0\.0\.1:\d+)/, 30_000))[1];
    assert.notEqual(devUrl, prod);
    app.write("src/public.js", `export async function main() { return { statusCode: 200, body: "dev edit" }; }\n`);
    let devBody = "";
    for (let i = 0; i < 100 && devBody !== "dev edit"; i++) {
      devBody = await (await fetch(`${devUrl}/public`)).text();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(devBody, "dev edit", "dev serves the saved edit");
    assert.equal(await (await fetch(`${prod}/public`)).text(), "Hello stranger!", "prod keeps its deployed version");
    const list = await host.run(["list"], app.root);
    assert.match(list.out, /api-auth-jwt-auth0\s+prod\s+1\s+http:\/\/127\.0\.0\.1:\d+/);
  });

  test("remove --stage prod: prod refuses connections, dev still serves", async () => {
    const removed = await host.run(["remove", "--stage", "prod"], app.root);
    assert.equal(removed.code, 0, removed.out);
    assert.match(removed.out, /Stack prod-api-auth-jwt-auth0-my-stack\n {2}Status: removed/);
    await assert.rejects(fetch(`${prod}/public`), "prod's port is closed");
    const devUrl = endpointIn(dev!.output());
    assert.equal((await fetch(`${devUrl}/public`)).status, 200);
    assert.doesNotMatch((await host.run(["list"], app.root)).out, /prod/);
  });

  test("remove (default stage) removes that one", async () => {
    await dev?.stop();
    dev = undefined;
    const removed = await host.run(["remove", "--yes"], app.root);
    assert.equal(removed.code, 0, removed.out);
    assert.match(removed.out, /Removed stage dev/);
    const again = await host.run(["remove"], app.root);
    assert.equal(again.code, 1);
    assert.match(again.out, /Nothing of api-auth-jwt-auth0 is deployed or stored for stage "dev"/);
  });
});
