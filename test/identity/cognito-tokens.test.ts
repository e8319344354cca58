import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { cognitoSub, isCognitoIssuer, issueCognitoTokens } from "../../src/identity/cognito-tokens.js";
import { TenantStore } from "../../src/identity/tenant-store.js";

const ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_y0bLG4i27";
const CLIENT = "3nkoep4151b7umeggnottc30u9";

describe("Cognito-shaped tokens", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-cognito-"));
  let store: TenantStore;
  before(() => {
    store = new TenantStore(dir);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("only a user pool's issuer URL counts as Cognito", () => {
    assert.equal(isCognitoIssuer(ISSUER), true);
    assert.equal(isCognitoIssuer(`${ISSUER}/`), false);
    assert.equal(isCognitoIssuer("https://myorg.us.auth0.com/"), false);
  });

  test("the ID token has aud = client and token_use id; the access token has client_id, no aud, and a scope", async () => {
    const user = await store.addUser({ email: "pat@example.com", password: "Pat-pass-2026!", name: "Pat Doe" });
    const now = 1_718_636_404;
    const tokens = await issueCognitoTokens(ISSUER, store, user, CLIENT, { nowSeconds: now });
    const keys = createLocalJWKSet({ keys: (await store.signingKeys()).map(({ jwk: { d, p, q, dp, dq, qi, ...pub } }) => pub) });
    const verify = async (token: string) => (await jwtVerify(token, keys, { issuer: ISSUER, currentDate: new Date(now * 1000) })).payload;
    const id = await verify(tokens.IdToken);
    const access = await verify(tokens.AccessToken);
    const sub = cognitoSub(user.id);
    assert.match(sub, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(
      [id.sub, id.aud, id.token_use, id["cognito:username"], id.email, id.name, id.exp! - id.iat!, "scope" in id, "client_id" in id],
      [sub, CLIENT, "id", sub, "pat@example.com", "Pat Doe", 3600, false, false],
    );
    assert.deepEqual(
      [access.sub, "aud" in access, access.client_id, access.token_use, access.username, access.scope, "email" in access],
      [sub, false, CLIENT, "access", sub, "aws.cognito.signin.user.admin", false],
    );
    assert.equal(id.origin_jti, access.origin_jti);
    assert.notEqual(id.jti, access.jti);
    assert.deepEqual(Object.keys(decodeProtectedHeader(tokens.IdToken)).sort(), ["alg", "kid"]);
  });
});
