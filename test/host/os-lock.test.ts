import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { OsLock, lockOwner } from "../../src/host/os-lock.js";

const OS_LOCK = new URL("../../src/host/os-lock.ts", import.meta.url).href;

/** Another process that takes the lock at `path`, says so, and holds it until it ends. */
async function holder(path: string): Promise<ChildProcess> {
  const script = `import { OsLock } from ${JSON.stringify(OS_LOCK)};
const lock = new OsLock(${JSON.stringify(path)});
if (!(await lock.acquire(5000))) process.exit(2);
process.stdout.write("held\\n");
setInterval(() => {}, 1 << 30);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

describe("OsLock: a lock the operating system keeps for the holding process", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-lock-"));
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) {
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("is free until taken, and names its holder while held", () => {
    const path = join(dir, "a.lock");
    assert.equal(lockOwner(path), null);
    const lock = new OsLock(path);
    assert.equal(lock.tryAcquire(), true);
    assert.equal(new OsLock(path).tryAcquire(), false, "a second holder in the same process is refused");
    assert.equal(lockOwner(path)?.pid, process.pid);
    lock.release();
    assert.equal(lockOwner(path), null);
  });

  it("held by another process: refused here, even while that process is stopped; freed by the OS when it dies", async () => {
    const path = join(dir, "b.lock");
    const child = await holder(path);
    children.push(child);
    assert.equal(new OsLock(path).tryAcquire(), false);
    assert.equal(lockOwner(path)?.pid, child.pid);
    child.kill("SIGSTOP");
    try {
      assert.equal(await new OsLock(path).acquire(300), false, "a stopped holder still holds");
      assert.equal(lockOwner(path)?.pid, child.pid);
    } finally {
      child.kill("SIGCONT");
    }
    child.kill("SIGKILL");
    await exited(child);
    const lock = new OsLock(path);
    assert.equal(await lock.acquire(2000), true, "the lock of a killed process is free, with no clean-up");
    assert.equal(lockOwner(path)?.pid, process.pid);
    lock.release();
  });

  it("waits a bounded time for a holder that lets go", async () => {
    const path = join(dir, "c.lock");
    const child = await holder(path);
    children.push(child);
    const waiter = new OsLock(path);
    const waiting = waiter.acquire(10_000, 20);
    child.kill("SIGTERM");
    assert.equal(await waiting, true);
    waiter.release();
  });
});
