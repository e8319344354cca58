import assert from "node:assert/strict";
import { createHash, createPublicKey, X509Certificate } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { decodeProtectedHeader } from "jose";
import { authorizeWithLogin, loginForTokens } from "../../src/identity/token-via-login.js";
import {
  CALLBACK,
  CLIENT_ID,
  EMAIL,
  ISSUER,
  PASSWORD,
  postToken,
  startTestTenant,
  type TestTenant,
  verifyWithJwks,
} from "./tenant-fixture.js";

describe("the walkthrough's login against an impersonated Auth0 tenant", () => {
  let tenant: TestTenant;
  before(async () => {
    tenant = await startTestTenant();
  });
  after(() => tenant.close());

  it("redirects /authorize to a universal login page naming the application, with a sign-up link", async () => {
    const authorize = new URL("authorize", tenant.idp.url);
    authorize.search = `response_type=code&client_id=${CLIENT_ID}&redirect_uri=${CALLBACK}&scope=openid%20profile&state=xyz`;
    const first = await fetch(authorize, { redirect: "manual" });
    assert.ok([302, 303].includes(first.status), `status ${first.status}`);
    const loginUrl = new URL(first.headers.get("location")!, tenant.idp.url);
    const cookie = first.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const page = await fetch(loginUrl, { headers: { cookie } });
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, /Log in to myorg to continue to Notes\./);
    assert.match(html, /Don't have an account\? <a href="[^"]+\/signup">Sign up<\/a>/);
    assert.match(html, /name="csrf" value="[^"]+"/);
  });

  it("exchanges the code with the walkthrough's form body for Auth0's exact token response", async () => {
    const callback = await authorizeWithLogin({
      providerUrl: tenant.idp.url,
      clientId: CLIENT_ID,
      email: EMAIL,
      password: PASSWORD,
      params: { state: "xyz", nonce: "n-0S6_WzA2Mj" },
    });
    assert.equal(callback.origin + callback.pathname, `${CALLBACK}/`);
    assert.equal(callback.searchParams.get("state"), "xyz");
    const code = callback.searchParams.get("code")!;
    assert.ok(code.length >= 22, "code carries at least 128 bits");

    const response = await fetch(new URL("oauth/token", tenant.idp.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=authorization_code&client_id=${CLIENT_ID}&client_secret=${tenant.app.clientSecret}&code=${code}&redirect_uri=${CALLBACK}`,
    });
    const body = (await response.json()) as Record<string, any>;
    assert.equal(response.status, 200);
    assert.match(response.headers.get("cache-control") ?? "", /no-store/);
    assert.deepEqual(Object.keys(body).sort(), ["access_token", "expires_in", "id_token", "scope", "token_type"]);
    assert.equal(body.scope, "openid profile");
    assert.equal(body.expires_in, 86400);
    assert.equal(body.token_type, "Bearer");
    assert.equal(body.access_token.split(".").length, 1, "no audience: the access token is opaque");

    assert.equal(decodeProtectedHeader(body.id_token).alg, "RS256");
    assert.ok(decodeProtectedHeader(body.id_token).kid);
    const claims = await verifyWithJwks(tenant.idp, body.id_token, CLIENT_ID);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.aud, CLIENT_ID);
    assert.match(String(claims.sub), /^auth0\|[0-9a-f]{24}$/);
    assert.equal(claims.nickname, "jo");
    assert.equal(claims.name, EMAIL);
    assert.equal(typeof claims.updated_at, "string");
    assert.equal(claims.nonce, "n-0S6_WzA2Mj");
    assert.ok(typeof claims.sid === "string" && claims.sid.length > 0);
    assert.equal(claims.exp! - claims.iat!, 36000);
    const picture = await fetch(String(claims.picture));
    assert.equal(picture.status, 200, "the avatar is served locally");
    assert.match(picture.headers.get("content-type") ?? "", /image\/svg\+xml/);
  });

  it("never invents a state the client did not send", async () => {
    const callback = await authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: PASSWORD });
    assert.ok(callback.searchParams.get("code"));
    assert.equal(callback.searchParams.has("state"), false);
  });

  it("accepts JSON bodies and client_secret_basic at /oauth/token", async () => {
    const first = await authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: PASSWORD });
    const json = await fetch(new URL("oauth/token", tenant.idp.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "authorization_code",
        client_id: CLIENT_ID,
        client_secret: tenant.app.clientSecret,
        code: first.searchParams.get("code"),
        redirect_uri: CALLBACK,
      }),
    });
    assert.equal(json.status, 200);
    assert.ok(((await json.json()) as { id_token?: string }).id_token);

    const second = await authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: PASSWORD });
    const basic = Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(tenant.app.clientSecret)}`).toString("base64");
    const viaBasic = await postToken(
      tenant.idp,
      { grant_type: "authorization_code", code: second.searchParams.get("code")!, redirect_uri: CALLBACK },
      { authorization: `Basic ${basic}` },
    );
    assert.equal(viaBasic.status, 200, JSON.stringify(viaBasic.body));
    assert.ok(viaBasic.body.id_token);
  });

  it("answers /userinfo for the opaque access token with the same sub as the ID token", async () => {
    const tokens = await loginForTokens({
      providerUrl: tenant.idp.url,
      clientId: CLIENT_ID,
      clientSecret: tenant.app.clientSecret,
      email: EMAIL,
      password: PASSWORD,
      scope: "openid profile email",
    });
    const response = await fetch(new URL("userinfo", tenant.idp.url), { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const profile = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 200);
    const idClaims = await verifyWithJwks(tenant.idp, tokens.id_token!, CLIENT_ID);
    assert.equal(profile.sub, idClaims.sub);
    assert.equal(profile.email, EMAIL);
    assert.equal(profile.email_verified, false);
    assert.equal(idClaims.email, EMAIL, "email scope puts email in the ID token too");

    const bad = await fetch(new URL("userinfo", tenant.idp.url), { headers: { authorization: "Bearer not-a-token" } });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get("www-authenticate") ?? "", /invalid_token/);
  });

  it("publishes discovery with the impersonated issuer and a JWKS of public RS256 keys with x5c and x5t", async () => {
    const discovery = (await (await fetch(new URL(".well-known/openid-configuration", tenant.idp.url))).json()) as Record<string, any>;
    assert.equal(discovery.issuer, ISSUER);
    assert.equal(discovery.token_endpoint, `${tenant.idp.url}oauth/token`);
    assert.equal(discovery.authorization_endpoint, `${tenant.idp.url}authorize`);
    assert.equal(discovery.jwks_uri, `${tenant.idp.url}.well-known/jwks.json`);
    assert.equal(discovery.end_session_endpoint, `${tenant.idp.url}oidc/logout`);
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ["RS256"]);
    assert.deepEqual(discovery.code_challenge_methods_supported, ["S256", "plain"]);
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Record<string, any>[] };
    assert.ok(jwks.keys.length >= 1);
    for (const key of jwks.keys) {
      assert.equal(key.kty, "RSA");
      assert.equal(key.alg, "RS256");
      assert.equal(key.use, "sig");
      assert.ok(key.kid);
      assert.equal(key.d, undefined, "no private parts are published");
      const certificate = new X509Certificate(Buffer.from(key.x5c[0], "base64"));
      assert.equal(certificate.subject, "CN=myorg.us.auth0.com");
      assert.ok(certificate.publicKey.equals(createPublicKey({ key: { kty: "RSA", n: key.n, e: key.e }, format: "jwk" })));
      assert.equal(key.x5t, createHash("sha1").update(certificate.raw).digest("base64url"));
    }
  });

  it("signs a new user up with screen_hint=signup and continues to the callback", async () => {
    const callback = await authorizeWithLogin({
      providerUrl: tenant.idp.url,
      clientId: CLIENT_ID,
      email: "new.person@example.com",
      password: "Sup3r-secret",
      signUp: true,
      params: { screen_hint: "signup", state: "s1" },
    });
    assert.ok(callback.searchParams.get("code"));
    assert.equal(callback.searchParams.get("state"), "s1");
    assert.match(tenant.idp.store.getUser("new.person@example.com")!.id, /^auth0\|[0-9a-f]{24}$/);
  });

  it("pre-fills login_hint and ignores unknown parameters", async () => {
    const callback = await authorizeWithLogin({
      providerUrl: tenant.idp.url,
      clientId: CLIENT_ID,
      email: EMAIL,
      password: PASSWORD,
      params: { auth0Client: "eyJuYW1lIjoiYXV0aDAifQ", made_up: "1", login_hint: EMAIL, ui_locales: "fr", display: "page" },
    });
    assert.ok(callback.searchParams.get("code"));
  });

  it("signs up through /dbconnections/signup with Auth0's response and error shapes", async () => {
    const signup = (fields: Record<string, string>) =>
      fetch(new URL("dbconnections/signup", tenant.idp.url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_id: CLIENT_ID, connection: "Username-Password-Authentication", ...fields }),
      });
    const ok = await signup({ email: "api.user@example.com", password: "An0ther-one", name: "Api User" });
    const created = (await ok.json()) as Record<string, unknown>;
    assert.equal(ok.status, 200);
    assert.match(String(created._id), /^[0-9a-f]{24}$/);
    assert.equal(created.email, "api.user@example.com");
    assert.equal(created.email_verified, false);
    assert.equal(created.name, "Api User");

    const duplicate = await signup({ email: "api.user@example.com", password: "An0ther-one" });
    assert.equal(duplicate.status, 400);
    assert.deepEqual(await duplicate.json(), { name: "BadRequestError", code: "invalid_signup", description: "Invalid sign up", statusCode: 400 });

    const weak = await signup({ email: "weak@example.com", password: "short" });
    assert.equal(weak.status, 400);
    assert.equal(((await weak.json()) as { code: string }).code, "invalid_password");
  });
});
