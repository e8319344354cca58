import { GatehouseError } from "../errors.js";
import { type HostHome, stageLockPath } from "./host-home.js";
import { OsLock, lockOwner } from "./os-lock.js";

/** How long a deploy or remove waits for another one of the same stage (GATEHOUSE_STAGE_LOCK_WAIT_MS overrides). */
export const STAGE_LOCK_WAIT_MS = 120_000;

function waitMs(): number {
  const value = Number(process.env.GATEHOUSE_STAGE_LOCK_WAIT_MS);
  return Number.isInteger(value) && value >= 0 ? value : STAGE_LOCK_WAIT_MS;
}

/**
 * Runs `work` holding the stage's lock (an OS lock, released even if this process dies), after waiting a
 * bounded time for another deploy or remove of the stage to finish; fails with GH_ERR_STAGE_BUSY naming it.
 */
export async function holdStageLock<T>(home: HostHome, app: string, stage: string, what: string, work: () => Promise<T>): Promise<T> {
  const lock = new OsLock(stageLockPath(home, app, stage));
  const wait = waitMs();
  if (!(await lock.acquire(wait))) {
    const owner = lockOwner(lock.path);
    const who = owner ? ` (pid ${owner.pid})` : "";
    const since = owner?.acquiredAt ? ` since ${owner.acquiredAt}` : "";
    throw new GatehouseError(
      "GH_ERR_STAGE_BUSY",
      `Cannot ${what} ${app}/${stage}: another deploy of ${stage} is running${who}${since} and did not finish within ${wait} ms. Fix: wait for it to finish and retry (GATEHOUSE_STAGE_LOCK_WAIT_MS sets how long to wait).`,
    );
  }
  try {
    return await work();
  } finally {
    lock.release();
  }
}
