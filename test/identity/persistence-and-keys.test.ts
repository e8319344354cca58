import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { decodeProtectedHeader } from "jose";
import { TenantStore } from "../../src/identity/tenant-store.js";
import { loginForTokens } from "../../src/identity/token-via-login.js";
import { CLIENT_ID, EMAIL, PASSWORD, postToken, startTestTenant, verifyWithJwks } from "./tenant-fixture.js";

async function jwksKids(url: string): Promise<string[]> {
  const jwks = (await (await fetch(new URL(".well-known/jwks.json", url))).json()) as { keys: { kid: string }[] };
  return jwks.keys.map((key) => key.kid);
}

describe("tenant state across restarts and key rotation", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gatehouse-idp-persist-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps users, applications, keys and refresh tokens across a restart", async () => {
    const first = await startTestTenant({ dataDir });
    let secret: string;
    let kids: string[];
    let refreshToken: string;
    let idToken: string;
    try {
      await first.idp.store.addUser({ email: "kept@example.com", password: "Kept-passw0rd" });
      secret = first.app.clientSecret;
      kids = await jwksKids(first.idp.url);
      const tokens = await loginForTokens({
        providerUrl: first.idp.url,
        clientId: CLIENT_ID,
        clientSecret: secret,
        email: "kept@example.com",
        password: "Kept-passw0rd",
        scope: "openid profile offline_access",
      });
      refreshToken = tokens.refresh_token!;
      idToken = tokens.id_token!;
      assert.ok(refreshToken);
    } finally {
      await first.idp.close();
    }

    const second = await startTestTenant({ dataDir });
    try {
      assert.equal(second.app.clientSecret, secret, "the generated secret is kept");
      assert.ok(second.app.callbacks.includes("http://localhost:5678"));
      assert.deepEqual(await jwksKids(second.idp.url), kids, "the signing key is kept");
      await verifyWithJwks(second.idp, idToken, CLIENT_ID);
      const tokens = await loginForTokens({
        providerUrl: second.idp.url,
        clientId: CLIENT_ID,
        clientSecret: secret,
        email: "kept@example.com",
        password: "Kept-passw0rd",
      });
      assert.ok(tokens.id_token);
      const refreshed = await postToken(second.idp, {
        grant_type: "refresh_token",
        client_id: CLIENT_ID,
        client_secret: secret,
        refresh_token: refreshToken,
      });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    } finally {
      await second.idp.close();
    }
  });

  it("keeps a rotated key published so tokens it signed stay valid, and signs new tokens with the new key", async () => {
    const tenant = await startTestTenant();
    try {
      const login = () =>
        loginForTokens({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, clientSecret: tenant.app.clientSecret, email: EMAIL, password: PASSWORD });
      const before = await login();
      const oldKid = decodeProtectedHeader(before.id_token!).kid!;
      const newKid = await tenant.idp.rotateKeys();
      assert.notEqual(newKid, oldKid);
      assert.deepEqual((await jwksKids(tenant.idp.url)).sort(), [oldKid, newKid].sort());
      await verifyWithJwks(tenant.idp, before.id_token!, CLIENT_ID);
      const afterRotation = await login();
      assert.equal(decodeProtectedHeader(afterRotation.id_token!).kid, newKid);
      await verifyWithJwks(tenant.idp, afterRotation.id_token!, CLIENT_ID);
    } finally {
      await tenant.close();
    }
  });

  it("picks up a rotation made by another process (the CLI) on the next request", async () => {
    const tenant = await startTestTenant();
    try {
      const [oldKid] = await jwksKids(tenant.idp.url);
      const cli = new TenantStore(tenant.dataDir);
      const rotated = await cli.rotateKeys();
      cli.close();
      const kids = await jwksKids(tenant.idp.url);
      assert.ok(kids.includes(rotated.kid) && kids.includes(oldKid));
      const tokens = await loginForTokens({
        providerUrl: tenant.idp.url,
        clientId: CLIENT_ID,
        clientSecret: tenant.app.clientSecret,
        email: EMAIL,
        password: PASSWORD,
      });
      assert.equal(decodeProtectedHeader(tokens.id_token!).kid, rotated.kid);
    } finally {
      await tenant.close();
    }
  });

  it("runs two tenants side by side in one process, each with its own issuer, port, keys and users", async () => {
    const first = await startTestTenant();
    const second = await startTestTenant({ issuer: "https://other-tenant.eu.auth0.com/" });
    try {
      assert.notEqual(first.idp.url, second.idp.url);
      const login = (tenant: typeof first) =>
        loginForTokens({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, clientSecret: tenant.app.clientSecret, email: EMAIL, password: PASSWORD });
      const [fromFirst, fromSecond] = await Promise.all([login(first), login(second)]);
      assert.equal((await verifyWithJwks(second.idp, fromSecond.id_token!, CLIENT_ID)).iss, "https://other-tenant.eu.auth0.com/");
      await assert.rejects(verifyWithJwks(second.idp, fromFirst.id_token!, CLIENT_ID), "one tenant's keys do not verify the other's tokens");
      assert.notEqual(first.app.clientSecret, second.app.clientSecret);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
