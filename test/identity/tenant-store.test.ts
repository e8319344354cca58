import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isGatehouseError } from "../../src/errors.js";
import { TenantStore, tenantDataDir } from "../../src/identity/tenant-store.js";

describe("TenantStore (what `gatehouse idp` commands use, with or without dev running)", () => {
  let dir: string;
  let store: TenantStore;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-tenant-store-"));
    store = new TenantStore(dir);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("adds, lists and removes users with Auth0-style ids and profile defaults", async () => {
    const user = await store.addUser({ email: "Ana.Lopez@example.com", password: "Str0ng-pass" });
    assert.match(user.id, /^auth0\|[0-9a-f]{24}$/);
    assert.equal(user.name, "Ana.Lopez@example.com");
    assert.equal(user.nickname, "Ana.Lopez");
    assert.equal(user.emailVerified, false);
    assert.deepEqual(
      store.listUsers().map((each) => each.email),
      ["Ana.Lopez@example.com"],
    );
    assert.equal(store.getUser("ana.lopez@example.com")?.id, user.id, "e-mail lookup ignores case");
    assert.equal(JSON.stringify(store.listUsers()).includes("scrypt"), false, "password hashes never leave the store");
    assert.equal(store.removeUser(user.id), true);
    assert.equal(store.removeUser("ana.lopez@example.com"), false);
    assert.deepEqual(store.listUsers(), []);
  });

  it("refuses duplicate e-mails and weak passwords with IDP_INVALID", async () => {
    await store.addUser({ email: "dup@example.com", password: "Str0ng-pass" });
    await assert.rejects(store.addUser({ email: "DUP@example.com", password: "Str0ng-pass" }), (err) => isGatehouseError(err, "GH_ERR_IDP_INVALID"));
    await assert.rejects(store.addUser({ email: "weak@example.com", password: "password" }), /too weak/);
    await assert.rejects(store.addUser({ email: "not-an-email", password: "Str0ng-pass" }), /not an e-mail/);
  });

  it("checks credentials against the scrypt hash", async () => {
    await store.addUser({ email: "creds@example.com", password: "Str0ng-pass" });
    assert.equal((await store.verifyCredentials("creds@example.com", "Str0ng-pass"))?.email, "creds@example.com");
    assert.equal(await store.verifyCredentials("creds@example.com", "Str0ng-pasS"), undefined);
    assert.equal(await store.verifyCredentials("nobody@example.com", "Str0ng-pass"), undefined);
  });

  it("keeps an application's generated secret and merges callbacks on upsert", () => {
    const created = store.upsertApplication({ clientId: "abc", callbacks: ["http://localhost:5678"] });
    assert.ok(created.clientSecret.length >= 48);
    const updated = store.upsertApplication({ clientId: "abc", name: "Notes", callbacks: ["http://localhost:3000/callback"] });
    assert.equal(updated.clientSecret, created.clientSecret);
    assert.deepEqual(updated.callbacks, ["http://localhost:5678", "http://localhost:3000/callback"]);
    assert.deepEqual(
      store.listApplications().map((app) => [app.clientId, app.name]),
      [["abc", "Notes"]],
    );
  });

  it("sees writes made through a second connection to the same file (CLI beside a running dev)", async () => {
    const other = new TenantStore(dir);
    try {
      await other.addUser({ email: "from.cli@example.com", password: "Str0ng-pass" });
      assert.ok(store.getUser("from.cli@example.com"));
    } finally {
      other.close();
    }
  });

  it("creates a signing key on first use and retires, not deletes, the old key on rotation", async () => {
    const [first] = await store.signingKeys();
    assert.equal(first.jwk.alg, "RS256");
    assert.equal(first.retiredAt, undefined);
    const rotated = await store.rotateKeys();
    const keys = await store.signingKeys();
    assert.deepEqual(
      keys.map((key) => key.kid),
      [rotated.kid, first.kid],
      "the current key comes first, the retired one stays published",
    );
    assert.ok(keys[1].retiredAt);
  });

  it("gives each impersonated issuer its own data folder", () => {
    assert.equal(tenantDataDir("/app/.gatehouse/dev", "https://myorg.us.auth0.com/"), "/app/.gatehouse/dev/idp/myorg.us.auth0.com");
    assert.notEqual(tenantDataDir("/s", "https://a.auth0.com/"), tenantDataDir("/s", "https://b.auth0.com/"));
  });
});
