import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { type CliProcess, startCli } from "../support/cli-process.js";
import { runBin } from "../support/run-bin.js";
import { tempApp } from "../support/temp-app.js";

describe("gatehouse idp: the embedded tenant from the command line, with or without dev running", () => {
  const app = tempApp();
  let dev: CliProcess | undefined;
  const idp = async (...args: string[]) => {
    const result = await runBin(["idp", ...args], { cwd: app.root });
    return { code: result.code, out: `${result.stdout}${result.stderr}`, stdout: result.stdout };
  };
  const startDev = async () => {
    dev = startCli(["dev", "--port", "0", "--idp-port", "0"], app.root);
    return (await dev.waitFor(/ApiEndpoint: (http:\/\/127\.0\.0\.1:\d+)/, 30_000))[1];
  };
  const hello = async (endpoint: string, token: string) =>
    (await fetch(`${endpoint}/private`, { headers: { authorization: `Bearer ${token}` } })).text();
  after(async () => {
    await dev?.stop();
    app.remove();
  });

  let firstToken: string;

  test("users add and list work before dev ever ran", async () => {
    const added = await idp("users", "add", "--email", "cli.user@example.com", "--password", "Cli-user-2026!", "--name", "Cli User");
    assert.equal(added.code, 0, added.out);
    assert.match(added.out, /Added cli\.user@example\.com \(auth0\|[0-9a-f]{24}\) to https:\/\/myorg\.us\.auth0\.com\//);
    assert.match((await idp("users", "list")).out, /auth0\|[0-9a-f]{24} {2}cli\.user@example\.com {2}Cli User/);
  });

  test("with dev running: apps list shows the walkthrough's client, token logs in through the real flow", async () => {
    const endpoint = await startDev();
    const apps = await idp("apps", "list");
    assert.match(apps.out, /UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif/);
    assert.match(apps.out, /callbacks: .*http:\/\/localhost:5678/);
    const issued = await idp("token", "--email", "cli.user@example.com", "--password", "Cli-user-2026!");
    assert.equal(issued.code, 0, issued.out);
    assert.equal(issued.out, issued.stdout, "nothing on stderr");
    const tokens = JSON.parse(issued.stdout) as { id_token: string; token_type: string };
    assert.equal(tokens.token_type, "Bearer");
    firstToken = tokens.id_token;
    assert.equal(await hello(endpoint, firstToken), "Hello user!");
    // The picture points at the tenant dev serves, not at the port `idp token` used for its login and closed.
    const picture = (JSON.parse(Buffer.from(firstToken.split(".")[1], "base64url").toString()) as { picture: string }).picture;
    const tenantUrl = /Identity provider for https:\/\/myorg\.us\.auth0\.com\/ \(embedded, at (\S+)\)/.exec(dev!.output())![1];
    assert.ok(picture.startsWith(tenantUrl), `${picture} is served by ${tenantUrl}`);
    const avatar = await fetch(picture);
    assert.equal(avatar.status, 200);
    assert.equal(avatar.headers.get("content-type"), "image/svg+xml");
    const wrong = await idp("token", "--email", "cli.user@example.com", "--password", "not-it");
    assert.equal(wrong.code, 1);
    assert.doesNotMatch(wrong.out, /crashed/);
  });

  test("keys rotate: the old key's tokens stay valid, new tokens use the new key", async () => {
    const endpoint = /ApiEndpoint: (\S+)/.exec(dev!.output())![1];
    const rotated = await idp("keys", "rotate");
    assert.equal(rotated.code, 0, rotated.out);
    const kid = /New signing key (\S+)/.exec(rotated.out)![1];
    const fresh = JSON.parse((await idp("token", "--email", "cli.user@example.com", "--password", "Cli-user-2026!")).stdout) as { id_token: string };
    assert.equal(JSON.parse(Buffer.from(fresh.id_token.split(".")[0], "base64url").toString()).kid, kid);
    assert.equal(await hello(endpoint, fresh.id_token), "Hello user!");
    assert.equal(await hello(endpoint, firstToken), "Hello user!");
  });

  test("users, applications and keys survive a restart of dev", async () => {
    const secretBefore = /secret: +(\S+)/.exec((await idp("apps", "list")).out)![1];
    await dev!.stop();
    const endpoint = await startDev();
    assert.equal(/secret: +(\S+)/.exec((await idp("apps", "list")).out)![1], secretBefore);
    assert.match((await idp("users", "list")).out, /cli\.user@example\.com/);
    assert.equal(await hello(endpoint, firstToken), "Hello user!", "a token from before the restart still passes");
  });

  test("apps update adds callback, logout and origin URLs (repeated or comma-separated); --replace replaces", async () => {
    const client = "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif";
    const updated = await idp(
      "apps", "update", "--client-id", client,
      "--callback", "http://localhost:3000/callback,http://localhost:3001/cb", "--callback", "https://app.example.com/callback",
      "--logout-url", "http://localhost:3000", "--origin", "http://localhost:3000",
    );
    assert.equal(updated.code, 0, updated.out);
    const listed = (await idp("apps", "list")).out;
    assert.match(listed, /callbacks: +http:\/\/localhost:5678, http:\/\/localhost:3000\/callback, http:\/\/localhost:3001\/cb, https:\/\/app\.example\.com\/callback\n/);
    assert.match(listed, /logout URLs: +http:\/\/localhost:3000\n/);
    assert.match(listed, /web origins: +http:\/\/localhost:3000\n/);
    const replaced = await idp("apps", "update", "--client-id", client, "--callback", "http://localhost:5678", "--replace");
    assert.equal(replaced.code, 0, replaced.out);
    assert.match((await idp("apps", "list")).out, /callbacks: +http:\/\/localhost:5678\n {2}logout URLs: +http:\/\/localhost:3000\n/);
  });

  test("apps update refuses an unknown client, a relative URL, an origin with a path, and no change", async () => {
    const cases: Array<[string[], string]> = [
      [["--client-id", "nobody", "--callback", "http://localhost:3000"], "GH_ERR_IDP_INVALID"],
      [["--client-id", "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif", "--callback", "/callback"], "GH_ERR_IDP_INVALID"],
      [["--client-id", "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif", "--origin", "http://localhost:3000/app"], "GH_ERR_IDP_INVALID"],
      [["--client-id", "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif"], "GH_ERR_FLAG_INVALID"],
    ];
    for (const [args, code] of cases) {
      const run = await idp("apps", "update", ...args);
      assert.equal(run.code, 1, args.join(" "));
      assert.match(run.out, new RegExp(`^Error \\[${code}\\]: [^\\n]+\\n$`), args.join(" "));
    }
  });

  test("users remove, and a clear error for an unknown user", async () => {
    assert.equal((await idp("users", "remove", "--email", "cli.user@example.com")).code, 0);
    const again = await idp("users", "remove", "--email", "cli.user@example.com");
    assert.equal(again.code, 1);
    assert.match(again.out, /^Error \[GH_ERR_IDP_INVALID\]: No user cli\.user@example\.com/m);
  });
});
