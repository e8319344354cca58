import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { GatehouseError } from "../errors.js";

/** Who holds a stage's lock, as it recorded itself next to the lock. */
export interface StageLockHolder {
  pid: number;
  /** `gatehouse dev`, `gatehouse remove`, … */
  command: string;
  startedAt: string;
}

const LOCK_FILE = "stage.lock";
const HOLDER_FILE = "stage-lock-holder.json";

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? "";
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

/**
 * An OS-level lock on one stage's local state (`.gatehouse/<stage>`), so `gatehouse remove` never deletes a
 * tenant a running `gatehouse dev` still serves (which then kept accepting sign-ups into a deleted file).
 * SQLite's exclusive locking mode holds a file lock for the connection's life: the kernel drops it when the
 * process ends however it ends, so a crashed dev never leaves a stale lock and no PID is ever guessed. The
 * holder's pid and command are written beside it only to name it in the refusal.
 */
export class StageLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly holderFile: string,
  ) {}

  /** Takes the stage's lock for `command`, or STAGE_IN_USE naming the process that holds it. */
  static acquire(stateDir: string, command: string, describeStage: string): StageLock {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const db = new Database(join(stateDir, LOCK_FILE), { timeout: 0 });
    try {
      db.pragma("locking_mode = EXCLUSIVE");
      // The first write takes the exclusive lock, which exclusive mode then keeps until close.
      db.exec("CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY); INSERT OR REPLACE INTO lock VALUES (1);");
    } catch (err) {
      db.close();
      if (isBusy(err)) throw inUse(stateDir, describeStage);
      throw err;
    }
    const holderFile = join(stateDir, HOLDER_FILE);
    const holder: StageLockHolder = { pid: process.pid, command, startedAt: new Date().toISOString() };
    writeFileSync(`${holderFile}.tmp`, JSON.stringify(holder), { mode: 0o600 });
    renameSync(`${holderFile}.tmp`, holderFile);
    return new StageLock(db, holderFile);
  }

  /** The process holding the stage's lock now, or undefined when none does. */
  static holder(stateDir: string): StageLockHolder | undefined {
    let db: Database.Database;
    try {
      db = new Database(join(stateDir, LOCK_FILE), { timeout: 0, fileMustExist: true });
    } catch {
      return undefined;
    }
    try {
      db.exec("BEGIN IMMEDIATE; ROLLBACK;");
      return undefined;
    } catch (err) {
      if (!isBusy(err)) throw err;
      return readHolder(stateDir) ?? { pid: 0, command: "another gatehouse process", startedAt: "" };
    } finally {
      db.close();
    }
  }

  /** Releases the lock (the process ending releases it too). */
  release(): void {
    if (!this.db.open) return;
    rmSync(this.holderFile, { force: true });
    this.db.close();
  }
}

function readHolder(stateDir: string): StageLockHolder | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, HOLDER_FILE), "utf8")) as StageLockHolder;
  } catch {
    return undefined;
  }
}

function inUse(stateDir: string, describeStage: string): GatehouseError {
  const holder = readHolder(stateDir);
  const who = holder ? `\`${holder.command}\` (pid ${holder.pid}, since ${holder.startedAt})` : "another gatehouse process";
  const stop = holder ? `stop it first (Ctrl-C in its terminal, or kill ${holder.pid})` : "stop the other gatehouse process first";
  return new GatehouseError("GH_ERR_STAGE_IN_USE", `${who} is using ${describeStage} (${stateDir}). Fix: ${stop}, then run this again.`);
}
