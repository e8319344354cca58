import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { isGatehouseError } from "../../src/errors.js";
import { TenantStore } from "../../src/identity/tenant-store.js";

describe("TenantStore.updateApplication", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-update-app-"));
  const store = new TenantStore(dir);
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  store.upsertApplication({ clientId: "web", callbacks: ["http://localhost:5678"], logoutUrls: ["http://localhost:5678"] });

  test("replaces the lists it is given, keeps the others, and persists", () => {
    const updated = store.updateApplication("web", { callbackUrls: ["http://localhost:3000/cb", "http://localhost:3000/cb"], webOrigins: ["http://localhost:3000/"] });
    assert.deepEqual(updated.callbacks, ["http://localhost:3000/cb"]);
    assert.deepEqual(updated.logoutUrls, ["http://localhost:5678"]);
    assert.deepEqual(updated.webOrigins, ["http://localhost:3000"], "an origin is stored as browsers send it");
    const reopened = new TenantStore(dir);
    try {
      assert.deepEqual(reopened.getApplication("web")?.callbacks, ["http://localhost:3000/cb"]);
    } finally {
      reopened.close();
    }
  });

  test("refuses an unknown client and URLs Auth0 would refuse, changing nothing", () => {
    const before = store.getApplication("web");
    for (const [clientId, changes] of [
      ["nobody", { callbackUrls: ["http://localhost:3000"] }],
      ["web", { callbackUrls: ["/relative"] }],
      ["web", { logoutUrls: ["http://localhost:3000/#top"] }],
      ["web", { webOrigins: ["http://localhost:3000/app"] }],
    ] as const) {
      assert.throws(
        () => store.updateApplication(clientId, changes),
        (err: unknown) => isGatehouseError(err, "GH_ERR_IDP_INVALID"),
      );
    }
    assert.deepEqual(store.getApplication("web"), before);
  });
});
