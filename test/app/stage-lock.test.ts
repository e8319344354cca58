import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { StageLock } from "../../src/app/stage-lock.js";
import { isGatehouseError } from "../../src/errors.js";

const LOCK_MODULE = new URL("../../src/app/stage-lock.ts", import.meta.url).href;

/** Another process that takes the stage's lock, says so, and holds it until killed. */
function holderProcess(stateDir: string): Promise<{ pid: number; kill(): Promise<void> }> {
  const script = `const { StageLock } = await import(${JSON.stringify(LOCK_MODULE)});
StageLock.acquire(${JSON.stringify(stateDir)}, "gatehouse dev", "stage dev of test");
process.stdout.write("held\\n");
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`holder exited (${code}) before taking the lock`)));
    child.stdout.once("data", () =>
      resolve({
        pid: child.pid!,
        kill: async () => {
          child.kill("SIGKILL");
          await exited;
        },
      }),
    );
  });
}

describe("StageLock: the OS-level lock dev holds on its stage", () => {
  const root = mkdtempSync(join(tmpdir(), "gatehouse-stage-lock-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  test("a free stage has no holder; acquired, it names this process; released, it is free again", () => {
    const dir = join(root, "free");
    assert.equal(StageLock.holder(dir), undefined);
    const lock = StageLock.acquire(dir, "gatehouse dev", "stage dev");
    assert.equal(StageLock.holder(dir)?.pid, process.pid);
    lock.release();
    assert.equal(StageLock.holder(dir), undefined);
  });

  test("held by another process: STAGE_IN_USE naming its pid; killed with SIGKILL, the lock is free (no stale pid)", async () => {
    const dir = join(root, "other");
    const holder = await holderProcess(dir);
    try {
      assert.equal(StageLock.holder(dir)?.pid, holder.pid);
      assert.throws(
        () => StageLock.acquire(dir, "gatehouse remove", "stage dev"),
        (err: unknown) => isGatehouseError(err, "GH_ERR_STAGE_IN_USE") && err.message.includes(`pid ${holder.pid}`),
      );
    } finally {
      await holder.kill();
    }
    assert.equal(StageLock.holder(dir), undefined);
    StageLock.acquire(dir, "gatehouse remove", "stage dev").release();
  });
});
