import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as oidc from "openid-client";
import { authorizeWithLogin } from "../../src/identity/token-via-login.js";
import { CLIENT_ID, EMAIL, PASSWORD, startTestTenant, type TestTenant } from "./tenant-fixture.js";

// openid-client derives redirect_uri from the callback URL, which always has a path; a bare origin such as the
// walkthrough's http://localhost:5678 would come back as ".../" and no longer match exactly.
const CALLBACK = "http://localhost:5678/callback";

describe("openid-client against a tenant served under its own loopback issuer", () => {
  let tenant: TestTenant;
  before(async () => {
    // No issuer option: the tenant's issuer is its own http://127.0.0.1:PORT/ URL, so discovery validates.
    tenant = await startTestTenant({ issuer: undefined });
    tenant.idp.store.upsertApplication({ clientId: CLIENT_ID, callbacks: [CALLBACK] });
    tenant.idp.store.upsertApplication({ clientId: "spa-client", name: "SPA", callbacks: [CALLBACK], tokenEndpointAuthMethod: "none" });
  });
  after(() => tenant.close());

  async function login(config: oidc.Configuration, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: "openid profile email offline_access",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      nonce,
      state,
      ...extra,
    });
    assert.equal(url.origin + url.pathname, `${tenant.idp.url}authorize`);
    const callback = await authorizeWithLogin({
      providerUrl: tenant.idp.url,
      clientId: config.clientMetadata().client_id,
      email: EMAIL,
      password: PASSWORD,
      params: Object.fromEntries(url.searchParams),
    });
    return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
  }

  it("discovers the tenant and completes authorization code + PKCE + refresh with its own validation", async () => {
    const config = await oidc.discovery(new URL(tenant.idp.url), CLIENT_ID, tenant.app.clientSecret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    assert.equal(config.serverMetadata().issuer, tenant.idp.url);

    const tokens = await login(config);
    const claims = tokens.claims()!;
    assert.equal(claims.iss, tenant.idp.url);
    assert.equal(claims.aud, CLIENT_ID);
    assert.match(claims.sub, /^auth0\|[0-9a-f]{24}$/);
    assert.ok(tokens.refresh_token, "offline_access yields a refresh token");

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    assert.equal(refreshed.claims()!.sub, claims.sub);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, "refresh tokens rotate");

    const profile = await oidc.fetchUserInfo(config, refreshed.access_token, claims.sub);
    assert.equal(profile.email, EMAIL);
  });

  it("serves a public PKCE client without a secret", async () => {
    const config = await oidc.discovery(new URL(tenant.idp.url), "spa-client", undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    const tokens = await login(config);
    assert.equal(tokens.claims()!.aud, "spa-client");
  });

  it("refuses a public client's authorization request without PKCE, echoing state", async () => {
    const config = await oidc.discovery(new URL(tenant.idp.url), "spa-client", undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: "openid", state: "st" });
    const callback = await authorizeWithLogin({
      providerUrl: tenant.idp.url,
      clientId: "spa-client",
      email: EMAIL,
      password: PASSWORD,
      params: Object.fromEntries(url.searchParams),
    });
    // oidc-provider requires PKCE for public clients: the authorization request itself is refused.
    assert.equal(callback.searchParams.get("error"), "invalid_request");
    assert.equal(callback.searchParams.get("state"), "st");
  });
});
