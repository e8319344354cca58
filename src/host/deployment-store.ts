import { dirname } from "node:path";
import Database from "better-sqlite3";
import { makeDatabasePrivate, makePrivateDir, touchPrivateFile } from "../private-files.js";

/** One deployed (app, stage): the ports it keeps across redeploys and the version that is live. */
export interface StageRecord {
  app: string;
  stage: string;
  /** Api manifest id, or `auth:<Auth manifest id>` for a tenant → port. */
  ports: Record<string, number>;
  liveVersion: number | null;
  liveHash: string | null;
  artifactDir: string | null;
  deployedAt: string | null;
}

export interface DeploymentRecord {
  app: string;
  stage: string;
  version: number;
  hash: string;
  artifactDir: string;
  createdAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS stages (
  app TEXT NOT NULL,
  stage TEXT NOT NULL,
  ports TEXT NOT NULL DEFAULT '{}',
  live_version INTEGER,
  PRIMARY KEY (app, stage)
);
CREATE TABLE IF NOT EXISTS deployments (
  app TEXT NOT NULL,
  stage TEXT NOT NULL,
  version INTEGER NOT NULL,
  hash TEXT NOT NULL,
  artifact_dir TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (app, stage, version)
);
`;

/**
 * The host's record of deployments, in SQLite (WAL, so the CLI writes while the host reads). A version becomes
 * live in the same transaction that records it: a crash leaves either the old or the new version live.
 */
export class DeploymentStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    makePrivateDir(dirname(path));
    touchPrivateFile(path);
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    makeDatabasePrivate(path);
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** Every stage the database knows (with or without a live version), oldest first. */
  listStages(): StageRecord[] {
    const rows = this.db.prepare("SELECT app, stage FROM stages ORDER BY rowid").all() as Array<{ app: string; stage: string }>;
    return rows.map((row) => this.getStage(row.app, row.stage)).filter((stage): stage is StageRecord => stage !== null);
  }

  getStage(app: string, stage: string): StageRecord | null {
    const row = this.db
      .prepare(
        `SELECT s.app, s.stage, s.ports, s.live_version, d.hash, d.artifact_dir, d.created_at
         FROM stages s LEFT JOIN deployments d ON d.app = s.app AND d.stage = s.stage AND d.version = s.live_version
         WHERE s.app = ? AND s.stage = ?`,
      )
      .get(app, stage) as
      | { app: string; stage: string; ports: string; live_version: number | null; hash: string | null; artifact_dir: string | null; created_at: string | null }
      | undefined;
    if (!row) return null;
    return {
      app: row.app,
      stage: row.stage,
      ports: JSON.parse(row.ports),
      liveVersion: row.live_version,
      liveHash: row.hash,
      artifactDir: row.artifact_dir,
      deployedAt: row.created_at,
    };
  }

  /**
   * Gives each key (Api manifest id, or `auth:<id>` for a tenant) of the stage a port, keeping the ports it
   * already has; `isFree` checks a candidate. Two deploys at once cannot take the same port: the choice is
   * checked again, and written, in one write transaction, and made anew if another stage took a port meanwhile.
   */
  async assignPorts(app: string, stage: string, keys: string[], firstPort: number, isFree: (port: number) => Promise<boolean>): Promise<Record<string, number>> {
    for (let attempt = 0; ; attempt++) {
      const existing = this.getStage(app, stage)?.ports ?? {};
      const taken = this.takenPorts(app, stage);
      const ports: Record<string, number> = { ...existing };
      let candidate = firstPort;
      for (const key of keys) {
        if (ports[key] !== undefined) continue;
        while (taken.has(candidate) || !(await isFree(candidate))) candidate++;
        ports[key] = candidate;
        taken.add(candidate);
      }
      const written = this.db.transaction(() => {
        const now = this.takenPorts(app, stage);
        if (Object.entries(ports).some(([key, port]) => existing[key] === undefined && now.has(port))) return false;
        this.db
          .prepare("INSERT INTO stages (app, stage, ports) VALUES (?, ?, ?) ON CONFLICT (app, stage) DO UPDATE SET ports = excluded.ports")
          .run(app, stage, JSON.stringify(ports));
        return true;
      }).immediate();
      if (written) return ports;
      if (attempt >= 5) throw new Error("internal: could not settle ports with concurrent deploys");
    }
  }

  /** Ports held by every other stage. */
  private takenPorts(app: string, stage: string): Set<number> {
    const rows = this.db.prepare("SELECT ports FROM stages WHERE NOT (app = ? AND stage = ?)").all(app, stage) as Array<{ ports: string }>;
    return new Set(rows.flatMap((row) => Object.values(JSON.parse(row.ports) as Record<string, number>)));
  }

  /** Records a completed deployment and makes it live, atomically. Returns its version number. */
  recordDeployment(app: string, stage: string, hash: string, artifactDir: string): number {
    return this.db.transaction(() => {
      const { next } = this.db.prepare("SELECT COALESCE(MAX(version), 0) + 1 AS next FROM deployments WHERE app = ? AND stage = ?").get(app, stage) as { next: number };
      this.db
        .prepare("INSERT INTO deployments (app, stage, version, hash, artifact_dir, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .run(app, stage, next, hash, artifactDir, new Date().toISOString());
      this.db
        .prepare("INSERT INTO stages (app, stage, live_version) VALUES (?, ?, ?) ON CONFLICT (app, stage) DO UPDATE SET live_version = excluded.live_version")
        .run(app, stage, next);
      return next;
    })();
  }

  /**
   * Puts `previous` back live (or none) in place of `own`, as when `own` could not be served; only while
   * `own` is still the live version, so a rollback never undoes another deploy's version. True when it did.
   */
  rollBack(app: string, stage: string, own: number, previous: number | null): boolean {
    return this.db.prepare("UPDATE stages SET live_version = ? WHERE app = ? AND stage = ? AND live_version = ?").run(previous, app, stage, own).changes > 0;
  }

  /** Forgets a stage and its deployments. */
  removeStage(app: string, stage: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare("DELETE FROM deployments WHERE app = ? AND stage = ?").run(app, stage);
      return this.db.prepare("DELETE FROM stages WHERE app = ? AND stage = ?").run(app, stage).changes > 0;
    })();
  }
}
