import { homedir } from "node:os";
import { join } from "node:path";

/** Where the host keeps everything: the deployments database, artifacts, stage state, logs. */
export interface HostHome {
  root: string;
  database: string;
  artifacts: string;
  state: string;
  /** Written by a running host: its pid and control port. */
  hostFile: string;
  log: string;
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
  };
}

/** Folder of one stage's artifacts or state: `<base>/<app>/<stage>`. */
export function stageDir(base: string, app: string, stage: string): string {
  return join(base, app, stage);
}
