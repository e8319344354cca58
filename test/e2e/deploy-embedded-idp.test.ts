/**
 * The walkthrough deployed offline: a plain deploy warns that its issuer is unreachable; `deploy --idp
 * embedded --stage preview` gives the stage its own impersonated tenant, whose token reaches /private.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { endpointIn, isolatedHost } from "../support/host-env.js";
import { runBin } from "../support/run-bin.js";
import { tempApp } from "../support/temp-app.js";

// A name that never resolves anywhere (RFC 2606 .invalid), so the warning does not depend on the network.
const ISSUER = "https://myorg.gatehouse-test.invalid/";

describe("deploying a stage whose issuer this machine cannot reach", () => {
  const host = isolatedHost();
  const app = tempApp();
  const env = { ...host.env, GATEHOUSE_ISSUER_CHECK_MS: "2000" };
  const gatehouse = (...args: string[]) => runBin(args, { cwd: app.root, env });

  before(() => {
    app.write("stacks/MyStack.js", readFileSync(`${app.root}/stacks/MyStack.js`, "utf8").replace("https://myorg.us.auth0.com/", ISSUER));
  });
  after(async () => {
    await host.cleanup();
    app.remove();
  });

  let prod: string;

  test("a plain deploy goes live and warns, naming the issuer, with the code and the fix", async () => {
    const deploy = await gatehouse("deploy", "--stage", "prod");
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stderr, new RegExp(`^Warning \\[GH_ERR_ISSUER_UNREACHABLE\\]: the issuer ${ISSUER.replace(/[./]/g, "\\$&")} cannot be reached.*--idp embedded`, "m"));
    prod = endpointIn(deploy.stdout);
    assert.equal((await fetch(`${prod}/private`)).status, 401);
  });

  let preview: string;

  test("deploy --idp embedded --stage preview says so loudly and does not warn", async () => {
    const deploy = await gatehouse("deploy", "--stage", "preview", "--idp", "embedded");
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stderr, /^!!! --idp embedded: this stage does NOT trust the issuers the app names\. !!!$/m);
    assert.doesNotMatch(deploy.stderr, /GH_ERR_ISSUER_UNREACHABLE/);
    assert.match(deploy.stdout, /Version 1 is live/);
    preview = endpointIn(deploy.stdout);
    assert.notEqual(preview, prod);
  });

  test("a token from the preview stage's tenant reaches /private; prod refuses it", async () => {
    const added = await gatehouse("idp", "users", "add", "--stage", "preview", "--email", "preview@example.com", "--password", "Preview-2026!");
    assert.equal(added.code, 0, added.stderr);
    const issued = await gatehouse("idp", "token", "--stage", "preview", "--email", "preview@example.com", "--password", "Preview-2026!");
    assert.equal(issued.code, 0, issued.stderr);
    const { id_token: idToken } = JSON.parse(issued.stdout) as { id_token: string };
    assert.equal(JSON.parse(Buffer.from(idToken.split(".")[1], "base64url").toString()).iss, ISSUER, "the token names the real issuer");
    const hello = await fetch(`${preview}/private`, { headers: { authorization: `Bearer ${idToken}` } });
    assert.equal(await hello.text(), "Hello user!");
    assert.equal((await fetch(`${prod}/private`, { headers: { authorization: `Bearer ${idToken}` } })).status, 401);
  });

  test("after a host restart the preview stage still accepts its tenant's tokens", async () => {
    assert.equal((await gatehouse("host", "stop")).code, 0);
    assert.equal((await gatehouse("host", "start")).code, 0);
    const issued = await gatehouse("idp", "token", "--stage", "preview", "--email", "preview@example.com", "--password", "Preview-2026!");
    const { id_token: idToken } = JSON.parse(issued.stdout) as { id_token: string };
    const hello = await fetch(`${preview}/private`, { headers: { authorization: `Bearer ${idToken}` } });
    assert.equal(await hello.text(), "Hello user!");
  });
});
