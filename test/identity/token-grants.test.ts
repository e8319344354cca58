import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeProtectedHeader } from "jose";
import { authorizeWithLogin, CookieJar } from "../../src/identity/token-via-login.js";
import { CALLBACK, CLIENT_ID, EMAIL, ISSUER, loginAndExchange, PASSWORD, postToken, startTestTenant, type TestTenant, verifyWithJwks } from "./tenant-fixture.js";

const API = "https://notes.example.com/api";

describe("grants, audiences, revocation and logout", () => {
  let tenant: TestTenant;
  before(async () => {
    tenant = await startTestTenant();
    tenant.idp.store.upsertApi({ identifier: API, scopes: ["read:notes", "write:notes"], rbac: true });
    tenant.idp.store.setUserPermissions(EMAIL, ["read:notes", "admin:everything"]);
    tenant.idp.store.upsertApplication({ clientId: CLIENT_ID, logoutUrls: ["http://localhost:5678/bye"] });
  });
  after(() => tenant.close());

  const secretFields = () => ({ client_id: CLIENT_ID, client_secret: tenant.app.clientSecret });

  it("issues an Auth0-profile JWT access token for an API audience", async () => {
    const response = await loginAndExchange(tenant, { audience: API, scope: "openid profile read:notes" });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(decodeProtectedHeader(response.body.access_token).typ, "JWT");
    const claims = await verifyWithJwks(tenant.idp, response.body.access_token, API);
    assert.deepEqual(claims.aud, [API, `${ISSUER}userinfo`]);
    assert.equal(claims.azp, CLIENT_ID);
    assert.equal(claims.scope, "openid profile read:notes");
    assert.deepEqual(claims.permissions, ["read:notes"], "RBAC keeps only this API's permissions");
    assert.equal(claims.exp! - claims.iat!, 86400);
    assert.equal(claims.jti, undefined);
    assert.equal(response.body.scope, "openid profile read:notes");
    assert.ok(response.body.id_token);

    const userinfo = await fetch(new URL("userinfo", tenant.idp.url), { headers: { authorization: `Bearer ${response.body.access_token}` } });
    assert.equal(userinfo.status, 200, "an API token with openid is good at /userinfo, as on Auth0");
    const profile = (await userinfo.json()) as Record<string, unknown>;
    assert.equal(profile.sub, claims.sub);
    assert.equal(profile.nickname, "jo");
    assert.equal(profile.email, undefined, "only the granted scopes' claims");
  });

  it("redirects an unknown audience back with access_denied 'Service not found'", async () => {
    const callback = await authorizeWithLogin({
      providerUrl: tenant.idp.url,
      clientId: CLIENT_ID,
      email: EMAIL,
      password: PASSWORD,
      audience: "https://unknown.example/api",
      params: { state: "q" },
    });
    assert.equal(callback.searchParams.get("error"), "access_denied");
    assert.equal(callback.searchParams.get("error_description"), "Service not found: https://unknown.example/api");
    assert.equal(callback.searchParams.get("state"), "q");
  });

  it("issues client-credentials tokens only with a client grant, as <client_id>@clients", async () => {
    const denied = await postToken(tenant.idp, { grant_type: "client_credentials", ...secretFields(), audience: API });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error, "access_denied");
    assert.match(denied.body.error_description, /is not authorized to access resource server/);

    tenant.idp.store.grantClientAccess(CLIENT_ID, API, ["read:notes"]);
    const granted = await postToken(tenant.idp, { grant_type: "client_credentials", ...secretFields(), audience: API });
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    assert.deepEqual(Object.keys(granted.body).sort(), ["access_token", "expires_in", "scope", "token_type"]);
    const claims = await verifyWithJwks(tenant.idp, granted.body.access_token, API);
    assert.equal(claims.sub, `${CLIENT_ID}@clients`);
    assert.equal(claims.gty, "client-credentials");
    assert.equal(claims.scope, "read:notes");
    assert.equal(claims.aud, API);
  });

  it("supports the password and password-realm grants, with Auth0's wrong-password error", async () => {
    const password = await postToken(tenant.idp, {
      grant_type: "password",
      ...secretFields(),
      username: EMAIL,
      password: PASSWORD,
      scope: "openid profile",
    });
    assert.equal(password.status, 200, JSON.stringify(password.body));
    const idClaims = await verifyWithJwks(tenant.idp, password.body.id_token, CLIENT_ID);
    assert.equal(idClaims.name, EMAIL);

    const realm = await postToken(tenant.idp, {
      grant_type: "http://auth0.com/oauth/grant-type/password-realm",
      ...secretFields(),
      username: EMAIL,
      password: PASSWORD,
      realm: "Username-Password-Authentication",
      audience: API,
      scope: "openid read:notes",
    });
    assert.equal(realm.status, 200, JSON.stringify(realm.body));
    const atClaims = await verifyWithJwks(tenant.idp, realm.body.access_token, API);
    assert.equal(atClaims.gty, "password");

    const wrong = await postToken(tenant.idp, { grant_type: "password", ...secretFields(), username: EMAIL, password: "Wr0ng-one!" });
    assert.equal(wrong.status, 403);
    assert.deepEqual(wrong.body, { error: "invalid_grant", error_description: "Wrong email or password." });
  });

  it("answers Auth0's wording for a missing parameter and an unknown grant type", async () => {
    const missing = await postToken(tenant.idp, { grant_type: "authorization_code", ...secretFields(), redirect_uri: CALLBACK });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { error: "invalid_request", error_description: "Missing required parameter: code" });
    const unknown = await postToken(tenant.idp, { grant_type: "made_up", ...secretFields() });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, { error: "unsupported_grant_type", error_description: "Unsupported grant type: made_up" });
  });

  it("revokes a refresh token at /oauth/revoke with an empty 200", async () => {
    const issued = await loginAndExchange(tenant, { scope: "openid offline_access" });
    const revoke = await fetch(new URL("oauth/revoke", tenant.idp.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...secretFields(), token: issued.body.refresh_token }),
    });
    assert.equal(revoke.status, 200);
    assert.equal(await revoke.text(), "");
    const refresh = await postToken(tenant.idp, { grant_type: "refresh_token", ...secretFields(), refresh_token: issued.body.refresh_token });
    assert.equal(refresh.status, 403);
  });

  it("ends the SSO session at /v2/logout and only redirects to allowed logout URLs", async () => {
    const jar = new CookieJar();
    const login = () => authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: PASSWORD, jar });
    // prompt=none: only the SSO session can log in, never the password.
    const silentLogin = () =>
      authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: "unused", jar, params: { prompt: "none" } });
    assert.ok((await login()).searchParams.get("code"));
    const silent = await silentLogin();
    assert.ok(silent.searchParams.get("code"), "the session logs in silently");

    const refused = await fetch(new URL(`v2/logout?client_id=${CLIENT_ID}&returnTo=https://evil.example/`, tenant.idp.url), {
      redirect: "manual",
      headers: { cookie: jar.header() },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.headers.get("location"), null);

    const logout = await fetch(new URL(`v2/logout?client_id=${CLIENT_ID}&returnTo=http://localhost:5678/bye`, tenant.idp.url), {
      redirect: "manual",
      headers: { cookie: jar.header() },
    });
    assert.equal(logout.status, 302);
    assert.equal(logout.headers.get("location"), "http://localhost:5678/bye");
    jar.store(logout);
    const after = await silentLogin();
    assert.equal(after.searchParams.get("error"), "login_required");
  });

  it("redirects /oidc/logout with state after checking the id_token_hint", async () => {
    const tokens = await postToken(tenant.idp, { grant_type: "password", ...secretFields(), username: EMAIL, password: PASSWORD, scope: "openid" });
    const url = new URL("oidc/logout", tenant.idp.url);
    url.search = new URLSearchParams({
      id_token_hint: tokens.body.id_token,
      post_logout_redirect_uri: "http://localhost:5678/bye",
      state: "st8",
    }).toString();
    const response = await fetch(url, { redirect: "manual" });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get("location"), "http://localhost:5678/bye?state=st8");

    url.searchParams.set("id_token_hint", `${tokens.body.id_token.slice(0, -4)}AAAA`);
    const tampered = await fetch(url, { redirect: "manual" });
    assert.equal(tampered.status, 400);
  });

  it("answers CORS for the application's Allowed Web Origins only", async () => {
    tenant.idp.store.upsertApplication({ clientId: CLIENT_ID, webOrigins: ["http://localhost:3000"] });
    const tokenRequest = (origin: string) =>
      fetch(new URL("oauth/token", tenant.idp.url), {
        method: "POST",
        headers: { origin, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", ...secretFields(), username: EMAIL, password: PASSWORD, scope: "openid" }).toString(),
      });
    const allowed = await tokenRequest("http://localhost:3000");
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get("access-control-allow-origin"), "http://localhost:3000");
    const foreign = await tokenRequest("http://evil.example");
    assert.notEqual(foreign.status, 200);
    assert.equal(foreign.headers.get("access-control-allow-origin"), null);
  });
});
