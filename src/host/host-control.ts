import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GatehouseError } from "../errors.js";
import type { HostHome } from "./host-home.js";
import { CONTROL_TOKEN_HEADER, type HostFile } from "./host-file.js";
import type { ServedStage } from "./host-server.js";

const BIN = fileURLToPath(new URL("../../bin/gatehouse.js", import.meta.url));
const START_TIMEOUT_MS = 15_000;

export interface HostStatus {
  pid: number;
  stages: ServedStage[];
}

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

/** The running host's status, or null when no host answers. */
export async function hostStatus(home: HostHome): Promise<HostStatus | null> {
  return (await call(home, "GET", "/status", 2000)) as HostStatus | null;
}

/** Starts the host in the background unless one already answers; resolves once it serves. */
export async function ensureHost(home: HostHome): Promise<HostStatus> {
  const running = await hostStatus(home);
  if (running) return running;
  mkdirSync(home.root, { recursive: true });
  const log = openSync(home.log, "a");
  const child = spawn(process.execPath, [BIN, "host", "run"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, GATEHOUSE_HOME: home.root },
  });
  child.unref();
  closeSync(log); // the host has its own copy
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const file = readHostFile(home);
    if (file?.pid === child.pid) {
      const status = await hostStatus(home);
      if (status) return status;
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new GatehouseError("GH_ERR_HOST_FAILED", `The host did not start. Fix: see ${home.log}, or run \`gatehouse host run\` in the foreground to see why.`);
}

/** Asks the host to serve what the deployments database says is live; returns what it then serves. */
export async function reconcileHost(home: HostHome): Promise<HostStatus> {
  const status = (await call(home, "POST", "/reconcile", 60_000)) as HostStatus | null;
  if (!status) throw new GatehouseError("GH_ERR_HOST_FAILED", `The host stopped answering. Fix: see ${home.log}, then \`gatehouse host start\`.`);
  return status;
}

/** Stops the running host; true when one was running. */
export async function stopHost(home: HostHome): Promise<boolean> {
  const file = readHostFile(home);
  const status = await hostStatus(home);
  if (!file || !status) return false;
  await call(home, "POST", "/stop");
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(file.pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(file.pid, "SIGKILL");
  return true;
}
