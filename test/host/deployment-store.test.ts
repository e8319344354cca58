import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DeploymentStore } from "../../src/host/deployment-store.js";

describe("DeploymentStore", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-store-"));
  const previousUmask = process.umask(0o022);
  after(() => {
    process.umask(previousUmask);
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps its database, with -wal and -shm, for its owner only", () => {
    const path = join(dir, "home", "deployments.sqlite");
    const store = new DeploymentStore(path);
    try {
      store.recordDeployment("app", "prod", "h1", "/a/1");
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        assert.ok(existsSync(file), file);
        assert.equal(statSync(file).mode & 0o777, 0o600, file);
      }
      assert.equal(statSync(join(dir, "home")).mode & 0o777, 0o700);
    } finally {
      store.close();
    }
  });

  it("a rollback puts the previous version back only while its own version is live", () => {
    const store = new DeploymentStore(join(dir, "rollback.sqlite"));
    try {
      const first = store.recordDeployment("app", "prod", "h1", "/a/1");
      const mine = store.recordDeployment("app", "prod", "h2", "/a/2");
      const theirs = store.recordDeployment("app", "prod", "h3", "/a/3");
      assert.equal(store.rollBack("app", "prod", mine, first), false, "another deploy's version is live: nothing undone");
      assert.equal(store.getStage("app", "prod")?.liveVersion, theirs);
      assert.equal(store.rollBack("app", "prod", theirs, mine), true);
      assert.equal(store.getStage("app", "prod")?.liveVersion, mine);
    } finally {
      store.close();
    }
  });
});
