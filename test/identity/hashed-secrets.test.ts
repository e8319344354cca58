import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { CookieJar, authorizeWithLogin } from "../../src/identity/token-via-login.js";
import { CALLBACK, CLIENT_ID, EMAIL, PASSWORD, type TestTenant, postToken, startTestTenant } from "./tenant-fixture.js";

/** Every byte the tenant has written to disk: the database and its write-ahead log. */
function storedBytes(dataDir: string): Buffer {
  const files = ["identity.sqlite", "identity.sqlite-wal"].map((name) => join(dataDir, name)).filter(existsSync);
  return Buffer.concat(files.map((file) => readFileSync(file)));
}

function cookieValue(jar: CookieJar, name: string): string {
  const pair = jar.header().split("; ").find((cookie) => cookie.startsWith(`${name}=`));
  assert.ok(pair, `cookie ${name} is set`);
  return pair.slice(name.length + 1);
}

describe("codes, tokens and sessions are stored only as hashes", () => {
  let tenant: TestTenant;
  const jar = new CookieJar();
  let code: string;
  let tokens: Record<string, string>;

  before(async () => {
    tenant = await startTestTenant();
    const callback = await authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: PASSWORD, scope: "openid offline_access", jar });
    code = callback.searchParams.get("code")!;
  });
  after(() => tenant.close());

  const secret = () => ({ client_id: CLIENT_ID, client_secret: tenant.app.clientSecret });

  it("an issued authorization code is nowhere on disk, yet exchanges", async () => {
    assert.ok(code.length >= 20);
    assert.equal(storedBytes(tenant.dataDir).includes(code), false, "the code is not stored in clear");
    const exchanged = await postToken(tenant.idp, { grant_type: "authorization_code", ...secret(), code, redirect_uri: CALLBACK });
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    tokens = exchanged.body;
    assert.ok(tokens.refresh_token, "a refresh token was issued");
  });

  it("refresh and opaque access tokens are nowhere on disk, and the refresh token still works", async () => {
    const stored = storedBytes(tenant.dataDir);
    assert.equal(stored.includes(tokens.refresh_token), false, "the refresh token is not stored in clear");
    if (!tokens.access_token.includes(".")) assert.equal(stored.includes(tokens.access_token), false, "the opaque access token is not stored in clear");
    const refreshed = await postToken(tenant.idp, { grant_type: "refresh_token", ...secret(), refresh_token: tokens.refresh_token });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  });

  it("the session cookie's value is nowhere on disk, and the session still signs the user in silently", async () => {
    const session = cookieValue(jar, "_session");
    assert.equal(storedBytes(tenant.dataDir).includes(session), false, "the session id is not stored in clear");
    const silent = await authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: PASSWORD, jar, params: { prompt: "none" } });
    assert.ok(silent.searchParams.get("code"), `prompt=none found the session: ${silent.href}`);
  });

  it("rows of those models are keyed by a hash, and their payloads carry no id", () => {
    const db = new Database(join(tenant.dataDir, "identity.sqlite"), { readonly: true });
    try {
      const rows = db.prepare("SELECT model, id, payload FROM oidc_rows WHERE model IN ('AuthorizationCode','RefreshToken','Session','AccessToken')").all() as Array<{ model: string; id: string; payload: string }>;
      assert.ok(rows.some((row) => row.model === "Session") && rows.some((row) => row.model === "RefreshToken"));
      for (const row of rows) {
        assert.match(row.id, /^sha256:[0-9a-f]{64}$/, `${row.model} key`);
        assert.equal("jti" in JSON.parse(row.payload), false, `${row.model} payload`);
      }
    } finally {
      db.close();
    }
  });

  it("a replayed code is refused: consuming it found the hashed row", async () => {
    const replay = await postToken(tenant.idp, { grant_type: "authorization_code", ...secret(), code, redirect_uri: CALLBACK });
    assert.equal(replay.status, 403);
  });
});
