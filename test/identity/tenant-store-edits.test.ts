import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isGatehouseError } from "../../src/errors.js";
import { TenantStore } from "../../src/identity/tenant-store.js";

describe("TenantStore edits the dev console makes", () => {
  let dir: string;
  let store: TenantStore;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-tenant-edits-"));
    store = new TenantStore(dir);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("updateApplication replaces the lists it is given (removals included) and keeps the rest", () => {
    const before = store.upsertApplication({ clientId: "app1", callbacks: ["http://localhost:5678"], webOrigins: ["http://localhost:5678"] });
    const after = store.updateApplication("app1", { callbackUrls: ["http://localhost:3000/callback", "http://localhost:3000/callback"] });
    assert.deepEqual(after.callbacks, ["http://localhost:3000/callback"]);
    assert.deepEqual(after.webOrigins, ["http://localhost:5678"]);
    assert.equal(after.clientSecret, before.clientSecret);
    assert.deepEqual(store.getApplication("app1")?.callbacks, ["http://localhost:3000/callback"]);
    assert.throws(() => store.updateApplication("nope", { callbackUrls: [] }), (err) => isGatehouseError(err, "GH_ERR_IDP_INVALID"));
  });

  it("setUserPassword changes the password that logs in, with the sign-up strength rule", async () => {
    const user = await store.addUser({ email: "reset@example.com", password: "Old-pass-123" });
    await assert.rejects(store.setUserPassword(user.id, "weak"), (err) => isGatehouseError(err, "GH_ERR_IDP_INVALID"));
    await store.setUserPassword("reset@example.com", "New-pass-456");
    assert.equal(await store.verifyCredentials("reset@example.com", "Old-pass-123"), undefined);
    assert.equal((await store.verifyCredentials("reset@example.com", "New-pass-456"))?.id, user.id);
    await assert.rejects(store.setUserPassword("ghost@example.com", "New-pass-456"), (err) => isGatehouseError(err, "GH_ERR_IDP_INVALID"));
  });
});
