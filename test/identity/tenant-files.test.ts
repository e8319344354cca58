import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { TenantStore } from "../../src/identity/tenant-store.js";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("a tenant's keys, secrets and sessions are its owner's only", () => {
  const root = mkdtempSync(join(tmpdir(), "gatehouse-tenant-files-"));
  const previousUmask = process.umask(0o022);
  after(() => {
    process.umask(previousUmask);
    rmSync(root, { recursive: true, force: true });
  });

  it("creates its folder 0700 and its database with -wal and -shm 0600", async () => {
    const dataDir = join(root, "fresh", "idp", "tenant");
    const store = new TenantStore(dataDir);
    try {
      await store.signingKeys(); // writes a private key
      assert.equal(mode(dataDir), 0o700);
      for (const name of ["identity.sqlite", "identity.sqlite-wal", "identity.sqlite-shm"]) assert.equal(mode(join(dataDir, name)), 0o600, name);
    } finally {
      store.close();
    }
  });

  it("makes an existing, world-readable tenant private when opened", async () => {
    const dataDir = join(root, "old");
    mkdirSync(dataDir, { recursive: true });
    const first = new TenantStore(dataDir);
    await first.signingKeys();
    first.close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, "identity.sqlite"), 0o644);
    const again = new TenantStore(dataDir);
    try {
      assert.equal(mode(dataDir), 0o700);
      assert.equal(mode(join(dataDir, "identity.sqlite")), 0o600);
    } finally {
      again.close();
    }
  });
});
