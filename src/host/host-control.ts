import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GatehouseError } from "../errors.js";
import { PRIVATE_FILE_MODE } from "../private-files.js";
import { type HostHome, secureHome } from "./host-home.js";
import { CONTROL_TOKEN_HEADER, type HostFile } from "./host-file.js";
import type { ServedStage } from "./host-server.js";
import { type LockOwner, lockOwner } from "./os-lock.js";

const BIN = fileURLToPath(new URL("../../bin/gatehouse.js", import.meta.url));

/** How long a command waits for the host to start or to answer (GATEHOUSE_HOST_WAIT_MS overrides). */
export const HOST_WAIT_MS = 30_000;
/** How long `/status` may take before a host holding the lock counts as not answering. */
export const STATUS_TIMEOUT_MS = 2_000;

function msFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export interface HostStatus {
  pid: number;
  stages: ServedStage[];
}

/** What `host status` reports: serving, holding the home without answering (stopped, hung), or absent. */
export type HostState =
  | { state: "running"; status: HostStatus; owner: LockOwner }
  | { state: "unresponsive"; owner: LockOwner; waitedMs: number }
  | { state: "stopped" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readHostFile(home: HostHome): HostFile | null {
  if (!existsSync(home.hostFile)) return null;
  try {
    return JSON.parse(readFileSync(home.hostFile, "utf8")) as HostFile;
  } catch {
    return null;
  }
}

async function call(home: HostHome, method: string, path: string, timeoutMs = 5000): Promise<unknown | null> {
  const file = readHostFile(home);
  if (!file) return null;
  try {
    const response = await fetch(`http://127.0.0.1:${file.controlPort}${path}`, {
      method,
      headers: { [CONTROL_TOKEN_HEADER]: file.token },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new GatehouseError("GH_ERR_HOST_FAILED", `The host answered ${response.status} to ${path}: ${await response.text()}`);
    return await response.json();
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    return null;
  }
}

/**
 * The status of the host holding the home's lock, or null when none answers in `timeoutMs`. Only the lock
 * holder's host.json counts: one left behind by a host that died names a dead process (or a reused pid).
 */
export async function hostStatus(home: HostHome, timeoutMs = STATUS_TIMEOUT_MS): Promise<HostStatus | null> {
  const owner = lockOwner(home.hostLock);
  if (!owner || readHostFile(home)?.pid !== owner.pid) return null;
  const status = (await call(home, "GET", "/status", timeoutMs)) as HostStatus | null;
  return status?.pid === owner.pid ? status : null;
}

/** Tells a serving host from one that holds the home but does not answer, and from none at all. */
export async function hostState(home: HostHome): Promise<HostState> {
  const waitedMs = msFromEnv("GATEHOUSE_HOST_STATUS_TIMEOUT_MS", STATUS_TIMEOUT_MS);
  const owner = lockOwner(home.hostLock);
  if (!owner) return { state: "stopped" };
  const status = await hostStatus(home, waitedMs);
  return status ? { state: "running", status, owner } : { state: "unresponsive", owner, waitedMs };
}

function describeOwner(owner: LockOwner): string {
  return `pid ${owner.pid}${owner.acquiredAt ? `, started ${owner.acquiredAt}` : ""}`;
}

/** How long a host that lost the race for the lock is given to exit (it waits 2 s for the lock, then does). */
const LOSER_EXIT_MS = 10_000;

async function ended(child: ReturnType<typeof startHostProcess>, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  await exit;
  clearTimeout(timer);
}

function startHostProcess(home: HostHome) {
  secureHome(home);
  const log = openSync(home.log, "a", PRIVATE_FILE_MODE);
  const child = spawn(process.execPath, [BIN, "host", "run"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, GATEHOUSE_HOME: home.root },
  });
  child.unref();
  closeSync(log); // the host has its own copy
  return child;
}

/**
 * Resolves with the status of the home's host, starting one when none holds the home. A host that holds
 * the home's lock but answers slowly (busy, swapping, stopped) is waited for, never replaced: a second host
 * could not take the lock anyway, and would leave the first serving where no command sees it. When several
 * commands start a host at once, the lock lets exactly one run; every command then uses that one.
 */
export async function ensureHost(home: HostHome): Promise<HostStatus> {
  const waitMs = msFromEnv("GATEHOUSE_HOST_WAIT_MS", HOST_WAIT_MS);
  const deadline = Date.now() + waitMs;
  let child: ReturnType<typeof startHostProcess> | null = null;
  let owner: LockOwner | null = null;
  for (;;) {
    owner = lockOwner(home.hostLock);
    if (owner) {
      const status = await hostStatus(home, Math.max(1, Math.min(STATUS_TIMEOUT_MS, deadline - Date.now())));
      if (status) {
        // Another command's host won the lock: ours is about to give up; return once it has, so that
        // when this command ends, one host process is left.
        if (child && child.pid !== status.pid) await ended(child, LOSER_EXIT_MS);
        return status;
      }
    } else if (child === null) {
      child = startHostProcess(home);
    } else if (child.exitCode !== null || child.signalCode !== null) {
      break; // ours gave up and no other host holds the home: it failed to start
    }
    if (Date.now() >= deadline) break;
    await sleep(50);
  }
  if (owner) {
    throw new GatehouseError(
      "GH_ERR_HOST_UNRESPONSIVE",
      `The host (${describeOwner(owner)}) holds ${home.root} but did not answer within ${waitMs} ms; no second host was started. Fix: if it was stopped, \`kill -CONT ${owner.pid}\`; if it hangs, \`gatehouse host stop\`; then retry.`,
    );
  }
  throw new GatehouseError("GH_ERR_HOST_FAILED", `The host did not start. Fix: see ${home.log}, or run \`gatehouse host run\` in the foreground to see why.`);
}

/** Asks the host to serve what the deployments database says is live; returns what it then serves. */
export async function reconcileHost(home: HostHome): Promise<HostStatus> {
  const status = (await call(home, "POST", "/reconcile", 60_000)) as HostStatus | null;
  if (!status) throw new GatehouseError("GH_ERR_HOST_FAILED", `The host stopped answering. Fix: see ${home.log}, then \`gatehouse host start\`.`);
  return status;
}

async function waitForLockFree(home: HostHome, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!lockOwner(home.hostLock)) return true;
    await sleep(50);
  }
  return !lockOwner(home.hostLock);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/**
 * Stops the host holding the home; true when one was running. One that answers is asked to stop; one that
 * does not (stopped, hung) is continued and terminated by the pid its lock names, and killed if it will not
 * go. Done when the lock is free, which only the OS decides.
 */
export async function stopHost(home: HostHome): Promise<boolean> {
  const owner = lockOwner(home.hostLock);
  if (!owner) return false;
  if (await hostStatus(home)) {
    await call(home, "POST", "/stop");
    if (await waitForLockFree(home, 10_000)) return true;
  }
  const current = lockOwner(home.hostLock);
  if (!current) return true;
  if (current.pid > 0 && current.pid !== process.pid) {
    signal(current.pid, "SIGCONT");
    signal(current.pid, "SIGTERM");
    if (await waitForLockFree(home, 5_000)) return true;
    signal(current.pid, "SIGKILL");
  }
  if (await waitForLockFree(home, 5_000)) return true;
  throw new GatehouseError("GH_ERR_HOST_UNRESPONSIVE", `The host (${describeOwner(current)}) holding ${home.root} would not stop. Fix: end process ${current.pid} yourself.`);
}
