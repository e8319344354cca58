import { dirname } from "node:path";
import Database from "better-sqlite3";
import { makeDatabasePrivate, makePrivateDir, touchPrivateFile } from "../private-files.js";

/** Who holds a lock: the process and when it took it. */
export interface LockOwner {
  pid: number;
  acquiredAt: string;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? "";
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A lock the operating system keeps: a small SQLite file (WAL mode) whose write lock is held by an open
 * write transaction. SQLite takes it with fcntl locks, which the kernel drops when the holding process
 * dies (crash, SIGKILL) and keeps while it is merely stopped or busy, so a lock is never guessed from a pid.
 * The holder records its pid in the same file before it starts holding; WAL lets others read that record
 * while the write lock is held, to say who holds it. See docs/host.md.
 */
export class OsLock {
  private db: Database.Database | null = null;

  constructor(readonly path: string) {}

  /**
   * Tries once to take the lock; true when this process now holds it. `record: false` takes it without
   * naming this process as the owner (used to look whether the lock is free).
   */
  tryAcquire(record = true): boolean {
    if (this.db) return true;
    makePrivateDir(dirname(this.path));
    touchPrivateFile(this.path);
    const db = new Database(this.path);
    try {
      db.pragma("busy_timeout = 0");
      db.pragma("journal_mode = WAL");
      db.exec("CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, acquired_at TEXT NOT NULL)");
      // Record ourselves, then hold the write lock. Whoever wins the write lock last also wrote the owner
      // row last, so the row names the holder.
      if (record) {
        db.exec("BEGIN IMMEDIATE");
        db.prepare("INSERT OR REPLACE INTO owner (id, pid, acquired_at) VALUES (1, ?, ?)").run(process.pid, new Date().toISOString());
        db.exec("COMMIT");
      }
      db.exec("BEGIN IMMEDIATE");
      makeDatabasePrivate(this.path);
      this.db = db;
      return true;
    } catch (err) {
      if (db.inTransaction) db.exec("ROLLBACK");
      db.close();
      if (isBusy(err)) return false;
      throw err;
    }
  }

  /** Takes the lock, waiting up to `waitMs` (polling, so the event loop keeps running); true when held. */
  async acquire(waitMs: number, pollMs = 100): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (this.tryAcquire()) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
    }
  }

  /** Gives the lock back (the OS does so anyway when the process ends). */
  release(): void {
    const db = this.db;
    this.db = null;
    if (!db) return;
    if (db.inTransaction) db.exec("ROLLBACK");
    db.close();
  }

  get held(): boolean {
    return this.db !== null;
  }
}

/** How many times in a row the lock must be found taken before it counts as held (see lockOwner). */
const PROBES = 3;

/**
 * Whether some process holds the lock at `path`, and which one: the owner, or null when the lock is free.
 * Looking takes the lock for an instant when it is free, so a process acquiring it should wait briefly
 * (OsLock.acquire) rather than try once; and since another process may be looking at the same instant,
 * the lock counts as held only when found taken on several tries a few milliseconds apart.
 */
export function lockOwner(path: string): LockOwner | null {
  for (let attempt = 0; attempt < PROBES; attempt++) {
    if (attempt > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.floor(Math.random() * 10));
    const probe = new OsLock(path);
    try {
      if (probe.tryAcquire(false)) return null;
    } finally {
      probe.release();
    }
  }
  return readRecordedOwner(path) ?? { pid: 0, acquiredAt: "" };
}

function readRecordedOwner(path: string): LockOwner | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma("busy_timeout = 1000");
    const row = db.prepare("SELECT pid, acquired_at FROM owner WHERE id = 1").get() as { pid: number; acquired_at: string } | undefined;
    return row ? { pid: row.pid, acquiredAt: row.acquired_at } : null;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}
