import type { AppConfig } from "../app/load-config.js";
import { deployUnderLock, warnUnreachableIssuers } from "../host/deploy-stage.js";
import { DeploymentStore } from "../host/deployment-store.js";
import { hostState } from "../host/host-control.js";
import { type HostHome, hostHome } from "../host/host-home.js";
import { removeStage } from "../host/remove-stage.js";
import type { Manifest } from "../manifest/manifest.js";
import type { DeployOutcome, DeployTarget, ListOutcome, RemoveOutcome, TargetIo } from "./deploy-target.js";

/** The self-hosted host (src/host) as a deploy target; its behaviour is the host's, unchanged. */
export class HostTarget implements DeployTarget {
  readonly name = "host" as const;

  constructor(private readonly home: HostHome = hostHome()) {}

  async checkAccess(_config: AppConfig): Promise<void> {
    // The host is this machine: nothing to reach before building.
  }

  async deploy(config: AppConfig, synthesize: () => Promise<Manifest>, io: TargetIo): Promise<DeployOutcome> {
    const result = await deployUnderLock(config, { home: this.home, progress: io.progress }, async () => {
      const manifest = await synthesize();
      // A stage that trusts issuers this machine cannot reach would refuse every token: said before it goes live.
      if (manifest.identityProvider !== "embedded") await warnUnreachableIssuers(manifest, (line) => (io.warn ?? io.progress)(line));
      return manifest;
    });
    return {
      summary: result.unchanged ? `No changes: version ${result.version} stays live.` : `Version ${result.version} is live.`,
      outputs: result.outputs,
    };
  }

  async remove(config: AppConfig, io: TargetIo & { confirmUsers(count: number): Promise<boolean> }): Promise<RemoveOutcome> {
    const { countStageUsers } = await import("../host/count-stage-users.js");
    const result = await removeStage({ cwd: config.root, config, home: this.home, confirmUsers: io.confirmUsers, countUsers: countStageUsers });
    return { app: result.app, stage: result.stage, stackNames: result.stackNames };
  }

  async list(): Promise<ListOutcome> {
    const store = new DeploymentStore(this.home.database);
    const stages = store.listStages().filter((stage) => stage.liveVersion !== null);
    store.close();
    const host = await hostState(this.home);
    const served = new Set(host.state === "running" ? host.status.stages.map((stage) => `${stage.app}/${stage.stage}`) : []);
    // A host that holds the home but does not answer may well be serving: say so rather than "stopped".
    const notServed = host.state === "unresponsive" ? `unknown (host pid ${host.owner.pid} not answering)` : "no (host stopped)";
    return {
      stages: stages.map((stage) => ({
        target: "host" as const,
        app: stage.app,
        stage: stage.stage,
        version: String(stage.liveVersion),
        endpoints: Object.entries(stage.ports)
          .filter(([key]) => !key.startsWith("auth:"))
          .map(([, port]) => `http://127.0.0.1:${port}`),
        deployedAt: stage.deployedAt ?? "",
        serving: served.has(`${stage.app}/${stage.stage}`) ? "yes" : notServed,
      })),
      notes: [],
    };
  }
}
