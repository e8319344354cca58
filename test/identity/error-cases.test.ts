import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { authorizeWithLogin } from "../../src/identity/token-via-login.js";
import { CALLBACK, CLIENT_ID, EMAIL, PASSWORD, postToken, startTestTenant, type TestTenant } from "./tenant-fixture.js";

async function codeFor(tenant: TestTenant, params: Record<string, string> = {}, scope?: string): Promise<string> {
  const callback = await authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: PASSWORD, params, scope });
  const code = callback.searchParams.get("code");
  assert.ok(code, `expected a code, got ${callback.href}`);
  return code;
}

function exchange(tenant: TestTenant, code: string, extra: Record<string, string> = {}) {
  return postToken(tenant.idp, {
    grant_type: "authorization_code",
    client_id: CLIENT_ID,
    client_secret: tenant.app.clientSecret,
    code,
    redirect_uri: CALLBACK,
    ...extra,
  });
}

async function loginPage(tenant: TestTenant, email: string, password: string): Promise<{ status: number; html: string }> {
  try {
    await authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email, password });
    return { status: 200, html: "logged in" };
  } catch (err) {
    return { status: 400, html: (err as Error).message };
  }
}

describe("identity provider error cases (Auth0 mode)", () => {
  let tenant: TestTenant;
  before(async () => {
    tenant = await startTestTenant({ maxFailedLogins: 3 });
  });
  after(() => tenant.close());

  it("reused code: 403 invalid_grant, and the tokens the code issued are revoked", async () => {
    const code = await codeFor(tenant, {}, "openid profile email");
    const first = await exchange(tenant, code);
    assert.equal(first.status, 200);
    const userinfo = () => fetch(new URL("userinfo", tenant.idp.url), { headers: { authorization: `Bearer ${first.body.access_token}` } });
    assert.equal((await userinfo()).status, 200);
    const replay = await exchange(tenant, code);
    assert.equal(replay.status, 403);
    assert.deepEqual(replay.body, { error: "invalid_grant", error_description: "Invalid authorization code" });
    assert.equal((await userinfo()).status, 401, "replay revokes the first access token");
  });

  it("expired code: 403 invalid_grant", async () => {
    const code = await codeFor(tenant);
    // Age the stored code past its ten-minute life, as the clock would.
    const db = new Database(join(tenant.dataDir, "identity.sqlite"));
    try {
      db.prepare("UPDATE oidc_rows SET expires_at = ? WHERE model = 'AuthorizationCode'").run(Date.now() - 1000);
    } finally {
      db.close();
    }
    const response = await exchange(tenant, code);
    assert.equal(response.status, 403);
    assert.deepEqual(response.body, { error: "invalid_grant", error_description: "Invalid authorization code" });
  });

  it("wrong redirect_uri at the token endpoint: 403 invalid_grant", async () => {
    const code = await codeFor(tenant);
    const response = await exchange(tenant, code, { redirect_uri: "http://localhost:5678/other" });
    assert.equal(response.status, 403);
    assert.equal(response.body.error, "invalid_grant");
  });

  it("wrong client secret: 401 access_denied Unauthorized", async () => {
    const code = await codeFor(tenant);
    const response = await exchange(tenant, code, { client_secret: "not-the-secret" });
    assert.equal(response.status, 401);
    assert.deepEqual(response.body, { error: "access_denied", error_description: "Unauthorized" });
    assert.equal((await exchange(tenant, code)).status, 200, "a failed client authentication does not burn the code");
  });

  it("PKCE mismatch: 403 Failed to verify code verifier", async () => {
    const verifier = "a".repeat(43);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const code = await codeFor(tenant, { code_challenge: challenge, code_challenge_method: "S256" });
    const wrong = await exchange(tenant, code, { code_verifier: "b".repeat(43) });
    assert.equal(wrong.status, 403);
    assert.deepEqual(wrong.body, { error: "invalid_grant", error_description: "Failed to verify code verifier" });

    const plainCode = await codeFor(tenant, { code_challenge: verifier, code_challenge_method: "plain" });
    assert.equal((await exchange(tenant, plainCode, { code_verifier: verifier })).status, 200, "PKCE plain is accepted");
  });

  it("unknown client: an error page at /authorize (no redirect) and 401 at /oauth/token", async () => {
    const authorize = new URL("authorize", tenant.idp.url);
    authorize.search = `response_type=code&client_id=nobody&redirect_uri=${CALLBACK}&scope=openid&state=s`;
    const response = await fetch(authorize, { redirect: "manual", headers: { accept: "text/html" } });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("location"), null);
    assert.match(await response.text(), /Unknown client/);
    const token = await postToken(tenant.idp, { grant_type: "authorization_code", client_id: "nobody", client_secret: "x", code: "c" });
    assert.equal(token.status, 401);
    assert.equal(token.body.error, "access_denied");
  });

  it("unregistered callback: 'Callback URL mismatch' error page, never a redirect", async () => {
    const evil = "https://evil.example/steal<script>";
    const authorize = new URL("authorize", tenant.idp.url);
    authorize.search = new URLSearchParams({ response_type: "code", client_id: CLIENT_ID, redirect_uri: evil, scope: "openid", state: "s" }).toString();
    const response = await fetch(authorize, { redirect: "manual", headers: { accept: "text/html" } });
    const html = await response.text();
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("location"), null);
    assert.match(html, /Callback URL mismatch/);
    assert.match(html, /https:\/\/evil\.example\/steal&lt;script&gt; is not in the list of allowed callback URLs/);
    assert.doesNotMatch(html, /<script>/, "the URL is escaped");
  });

  it("refresh reuse: the whole token family is revoked", async () => {
    const code = await codeFor(tenant, {}, "openid profile offline_access");
    const issued = await exchange(tenant, code);
    assert.equal(issued.status, 200);
    const first = issued.body.refresh_token as string;
    assert.ok(first, "offline_access yields a refresh token");
    const refresh = (token: string) =>
      postToken(tenant.idp, { grant_type: "refresh_token", client_id: CLIENT_ID, client_secret: tenant.app.clientSecret, refresh_token: token });
    const rotated = await refresh(first);
    assert.equal(rotated.status, 200);
    const second = rotated.body.refresh_token as string;
    assert.ok(second && second !== first, "the refresh token rotates");
    assert.ok(rotated.body.id_token, "refresh returns a new ID token");

    const reuse = await refresh(first);
    assert.equal(reuse.status, 403);
    assert.deepEqual(reuse.body, { error: "invalid_grant", error_description: "Unknown or invalid refresh token." });
    assert.equal((await refresh(second)).status, 403, "the newest token of the family is revoked too");
  });

  it("wrong password: the same message for a wrong password and an unknown e-mail (no enumeration)", async () => {
    const wrongPassword = await loginPage(tenant, EMAIL, "Wr0ng-password");
    const unknownUser = await loginPage(tenant, "nobody@example.com", "Wr0ng-password");
    assert.match(wrongPassword.html, /Wrong email or password$/);
    assert.equal(unknownUser.html.replace("nobody@example.com", EMAIL), wrongPassword.html);
  });

  it("throttling: after repeated failures the account is blocked for that IP, even with the right password", async () => {
    const victim = "throttled@example.com";
    await tenant.idp.store.addUser({ email: victim, password: PASSWORD });
    for (let attempt = 0; attempt < 3; attempt++) await loginPage(tenant, victim, "Wr0ng-password");
    const blocked = await loginPage(tenant, victim, PASSWORD);
    assert.match(blocked.html, /Your account has been blocked after multiple consecutive login attempts\./);
    assert.equal((await loginPage(tenant, EMAIL, PASSWORD)).html, "logged in", "other accounts are unaffected");

    const password = await postToken(tenant.idp, {
      grant_type: "password",
      client_id: CLIENT_ID,
      client_secret: tenant.app.clientSecret,
      username: victim,
      password: PASSWORD,
      scope: "openid",
    });
    assert.equal(password.status, 429);
    assert.equal(password.body.error, "too_many_attempts");
  });

  it("forged login form: a POST without the page's CSRF token is refused", async () => {
    const authorize = new URL("authorize", tenant.idp.url);
    authorize.search = `response_type=code&client_id=${CLIENT_ID}&redirect_uri=${CALLBACK}&scope=openid`;
    const first = await fetch(authorize, { redirect: "manual" });
    const cookie = first.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const loginPath = first.headers.get("location")!;
    const response = await fetch(new URL(`${loginPath}/login`, tenant.idp.url), {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: EMAIL, password: PASSWORD, csrf: "forged" }).toString(),
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get("location"), null);
  });
});

describe("identity provider error cases (strict OIDC mode)", () => {
  let tenant: TestTenant;
  before(async () => {
    tenant = await startTestTenant({ strictOidc: true });
  });
  after(() => tenant.close());

  it("answers 400 invalid_grant on code reuse and 401 invalid_client on a wrong secret, with numeric updated_at", async () => {
    const code = await codeFor(tenant);
    const first = await exchange(tenant, code);
    assert.equal(first.status, 200);
    const payload = JSON.parse(Buffer.from(first.body.id_token.split(".")[1], "base64url").toString());
    assert.equal(typeof payload.updated_at, "number");
    const replay = await exchange(tenant, code);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, "invalid_grant");
    const wrongSecret = await exchange(tenant, await codeFor(tenant), { client_secret: "nope" });
    assert.equal(wrongSecret.status, 401);
    assert.equal(wrongSecret.body.error, "invalid_client");
  });
});
