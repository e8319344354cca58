import type { AppConfig } from "../app/load-config.js";
import type { Manifest } from "../manifest/manifest.js";

/** The places a stage can be deployed to. `host` is this machine's own host; `aws` is AWS through the CDK. */
export const TARGET_NAMES = ["host", "aws"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface DeployOutcome {
  /** One line saying what happened (`Version 3 is live.`). */
  summary: string;
  /** Stack name → outputs, in the order the stacks declared them, tokens resolved. */
  outputs: Record<string, Record<string, string>>;
}

export interface RemoveOutcome {
  app: string;
  stage: string;
  /** The stacks that were removed, by name. */
  stackNames: string[];
}

/** One deployed stage, as `gatehouse list` shows it. */
export interface ListedStage {
  target: TargetName;
  app: string;
  stage: string;
  /** A version number (host) or a stack status (aws). */
  version: string;
  endpoints: string[];
  deployedAt: string;
  /** `yes`, or why not (host stopped, a failed stack). */
  serving: string;
}

export interface ListOutcome {
  stages: ListedStage[];
  /** One line each, for a target that could not be asked (no credentials). */
  notes: string[];
}

export interface TargetIo {
  progress(line: string): void;
  /** Warnings that do not stop the command (an issuer this machine cannot reach); progress when absent. */
  warn?(line: string): void;
}

/**
 * What `deploy`, `remove` and `list` speak to. The host is the first implementation and AWS the second
 * (docs/aws-target.md); a target owns everything after the manifest: building, uploading, serving.
 */
export interface DeployTarget {
  readonly name: TargetName;
  /**
   * Called before the app is synthesized: a target that needs access to something (AWS credentials, a
   * reachable endpoint) fails here, fast, before any work is done.
   */
  checkAccess(config: AppConfig): Promise<void>;
  /**
   * Deploys the app `config` names. The target calls `synthesize` when it is ready for the manifest: the
   * host does so under the stage's lock, so two deploys of one stage never interleave, build included.
   */
  deploy(config: AppConfig, synthesize: () => Promise<Manifest>, io: TargetIo): Promise<DeployOutcome>;
  /**
   * Removes the stage `config` names. `confirmUsers` is asked before deleting identity tenants that hold
   * users (host only).
   */
  remove(config: AppConfig, io: TargetIo & { confirmUsers(count: number): Promise<boolean> }): Promise<RemoveOutcome>;
  list(): Promise<ListOutcome>;
}
