import { existsSync, rmSync } from "node:fs";
import { type AppConfig, loadConfig } from "../app/load-config.js";
import { StageLock } from "../app/stage-lock.js";
import { stageStateDir } from "../app/stage-paths.js";
import { GatehouseError } from "../errors.js";
import { readArtifact } from "./artifact.js";
import { DeploymentStore } from "./deployment-store.js";
import { hostState, reconcileHost } from "./host-control.js";
import { type HostHome, stageDir } from "./host-home.js";
import { holdStageLock } from "./stage-lock.js";

export interface RemoveResult {
  app: string;
  stage: string;
  stackNames: string[];
  removedDeployment: boolean;
  removedLocalState: boolean;
}

/**
 * `gatehouse remove`: stops serving the stage, frees its ports, deletes its artifacts and state (the host's
 * and the app's local `.gatehouse/<stage>`). Other stages are untouched. `confirmUsers` is asked before
 * deleting a stage whose identity tenants hold users.
 */
export async function removeStage(options: {
  cwd: string;
  stage?: string;
  /** The app's configuration when the caller has loaded it already (then cwd and stage are not read). */
  config?: AppConfig;
  home: HostHome;
  confirmUsers: (count: number) => Promise<boolean>;
  countUsers?: (stateDirs: string[]) => number;
}): Promise<RemoveResult> {
  const { home } = options;
  const config = options.config ?? loadConfig(options.cwd, { stage: options.stage });
  const hostStateDir = stageDir(home.state, config.name, config.stage);
  const localState = stageStateDir(config);
  // Never beside a deploy of the same stage: it would bring back what this removes.
  return holdStageLock(home, config.name, config.stage, "remove", async () => {
    const store = new DeploymentStore(home.database);
    let lock: StageLock | undefined;
    try {
      const deployed = store.getStage(config.name, config.stage);
      if (!deployed && !existsSync(localState) && !existsSync(hostStateDir)) {
        throw new GatehouseError("GH_ERR_STAGE_NOT_FOUND", `Nothing of ${config.name} is deployed or stored for stage "${config.stage}". Fix: check --stage (\`gatehouse list\` shows deployed stages).`);
      }
      // A running `gatehouse dev` of this stage holds its lock: refused, so its tenants are never deleted under
      // it. Holding the lock meanwhile keeps a dev from starting on half-deleted state.
      if (existsSync(localState)) lock = StageLock.acquire(localState, "gatehouse remove", `stage "${config.stage}" of ${config.name}`);
      const users = options.countUsers?.([hostStateDir, localState]) ?? 0;
      if (users > 0 && !(await options.confirmUsers(users))) {
        throw new GatehouseError("GH_ERR_FLAG_INVALID", `Stage "${config.stage}" holds ${users} user(s) in its identity tenant; nothing was removed. Fix: confirm, or pass --yes.`);
      }
      const stackNames = deployed?.artifactDir && existsSync(deployed.artifactDir) ? readArtifact(deployed.artifactDir).manifest.stacks.map((stack) => stack.name) : [];
      // A host that holds the home but does not answer would keep serving the stage after it is removed.
      const host = await hostState(home);
      if (host.state === "unresponsive") {
        throw new GatehouseError(
          "GH_ERR_HOST_UNRESPONSIVE",
          `The host (pid ${host.owner.pid}) holds ${home.root} but does not answer; nothing was removed. Fix: \`kill -CONT ${host.owner.pid}\` if it was stopped, or \`gatehouse host stop\`, then retry.`,
        );
      }
      const removedDeployment = store.removeStage(config.name, config.stage);
      if (removedDeployment && host.state === "running") await reconcileHost(home);
      rmSync(stageDir(home.artifacts, config.name, config.stage), { recursive: true, force: true });
      rmSync(hostStateDir, { recursive: true, force: true });
      const removedLocalState = existsSync(localState);
      rmSync(localState, { recursive: true, force: true });
      return { app: config.name, stage: config.stage, stackNames, removedDeployment, removedLocalState };
    } finally {
      lock?.release();
      store.close();
    }
  });
}
