/**
 * The authorizer against the embedded identity provider impersonating an Auth0 tenant: keys are fetched
 * from the local provider through issuerOverrides while `iss` must still be the tenant's https issuer.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { decodeProtectedHeader } from "jose";
import type { JwtAuthorizerManifest } from "../../src/manifest/manifest.js";
import { JwtAuthorizer } from "../../src/auth/jwt-authorizer.js";
import { type RunningIdentityProvider, startIdentityProvider } from "../../src/identity/identity-provider.js";
import { loginForTokens } from "../../src/identity/token-via-login.js";
import { memoryLogger } from "../../src/log.js";
import { requestWith } from "./test-issuer.js";

const ISSUER = "https://myorg.us.auth0.com/";
const CLIENT_ID = "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif";
const EMAIL = "jo@example.com";
const PASSWORD = "Corr3ct-horse";

let dataDir: string;
let idp: RunningIdentityProvider;
let authorizer: JwtAuthorizer;
const manifest: JwtAuthorizerManifest = {
  id: "Auth0",
  type: "JWT",
  issuer: ISSUER,
  audience: [CLIENT_ID],
  identitySource: "$request.header.Authorization",
};

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "gatehouse-auth-idp-"));
  idp = await startIdentityProvider({ issuer: ISSUER, dataDir, applications: [{ clientId: CLIENT_ID }], logger: memoryLogger() });
  await idp.store.addUser({ email: EMAIL, password: PASSWORD });
  authorizer = new JwtAuthorizer({ issuerOverrides: (issuer) => (issuer === ISSUER ? idp.url : undefined) });
});

after(async () => {
  await authorizer.close();
  await idp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function idToken(): Promise<string> {
  const app = idp.store.getApplication(CLIENT_ID)!;
  const tokens = await loginForTokens({ providerUrl: idp.url, clientId: CLIENT_ID, clientSecret: app.clientSecret, email: EMAIL, password: PASSWORD });
  return tokens.id_token!;
}

test("an ID token from the impersonated tenant is accepted and its sub reaches the handler", async () => {
  const result = await authorizer.authorize(requestWith(manifest, await idToken()));
  assert.equal(result.allow, true, JSON.stringify(result));
  if (!result.allow) return;
  assert.equal(result.claims.iss, ISSUER);
  assert.match(result.claims.sub!, /^auth0\|[0-9a-f]{24}$/);
  assert.equal(result.scopes, null);
});

test("after the tenant rotates its signing key, tokens with the new kid are accepted", async () => {
  const rotating = new JwtAuthorizer({ refetchCooldownMs: 0, issuerOverrides: () => idp.url });
  try {
    assert.equal((await rotating.authorize(requestWith(manifest, await idToken()))).allow, true);
    const newKid = await idp.rotateKeys();
    const token = await idToken();
    assert.equal(decodeProtectedHeader(token).kid, newKid);
    const result = await rotating.authorize(requestWith(manifest, token));
    assert.equal(result.allow, true, JSON.stringify(result));
  } finally {
    await rotating.close();
  }
});
