import { homedir } from "node:os";
import { join } from "node:path";
import { makePrivateDir, makeTreePrivate } from "../private-files.js";

/** Where the host keeps everything: the deployments database, artifacts, stage state, logs. */
export interface HostHome {
  root: string;
  database: string;
  artifacts: string;
  state: string;
  /** Written by a running host: its pid and control port. */
  hostFile: string;
  log: string;
  /** The lock a running host holds for its whole life: one host per home (docs/host.md). */
  hostLock: string;
  /** Per-stage deploy locks: `<locks>/<app>/<stage>.lock`. */
  locks: string;
}

/** The host's home: GATEHOUSE_HOME, else ~/.gatehouse. */
export function hostHome(env: NodeJS.ProcessEnv = process.env): HostHome {
  const root = env.GATEHOUSE_HOME && env.GATEHOUSE_HOME !== "" ? env.GATEHOUSE_HOME : join(homedir(), ".gatehouse");
  return {
    root,
    database: join(root, "deployments.sqlite"),
    artifacts: join(root, "artifacts"),
    state: join(root, "state"),
    hostFile: join(root, "host.json"),
    log: join(root, "host.log"),
    hostLock: join(root, "host.lock"),
    locks: join(root, "locks"),
  };
}

/** Folder of one stage's artifacts or state: `<base>/<app>/<stage>`. */
export function stageDir(base: string, app: string, stage: string): string {
  return join(base, app, stage);
}

/** The lock a deploy or remove of (app, stage) holds while it changes that stage. */
export function stageLockPath(home: HostHome, app: string, stage: string): string {
  return join(home.locks, app, `${stage}.lock`);
}

/** Creates the home private to its owner, and takes group/other access away from whatever it already holds. */
export function secureHome(home: HostHome): void {
  makePrivateDir(home.root);
  makeTreePrivate(home.root);
}
