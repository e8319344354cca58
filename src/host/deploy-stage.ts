import { createServer } from "node:net";
import { loadConfig } from "../app/load-config.js";
import { synthApp } from "../app/synth-app.js";
import type { Manifest } from "../manifest/manifest.js";
import { GatehouseError } from "../errors.js";
import { tenantPortKey } from "../serve/stage-tenants.js";
import { buildArtifact } from "./artifact.js";
import { DeploymentStore } from "./deployment-store.js";
import type { ServedStage } from "./host-server.js";
import { ensureHost, hostStatus, reconcileHost } from "./host-control.js";
import { type HostHome, secureHome, stageDir } from "./host-home.js";
import { holdStageLock } from "./stage-lock.js";
import { ISSUER_CHECK_TIMEOUT_MS, unreachableIssuers } from "./issuer-reachability.js";

/** Deployed stages take ports from here up (GATEHOUSE_FIRST_PORT overrides), clear of dev's defaults (4000, 4100). */
export const FIRST_STAGE_PORT = 4200;

function firstStagePort(): number {
  const fromEnv = Number(process.env.GATEHOUSE_FIRST_PORT);
  return Number.isInteger(fromEnv) && fromEnv > 0 && fromEnv < 65536 ? fromEnv : FIRST_STAGE_PORT;
}

export interface DeployResult {
  app: string;
  stage: string;
  version: number;
  /** True when the app had not changed since the live version. */
  unchanged: boolean;
  /** Stack name → outputs, tokens resolved. */
  outputs: Record<string, Record<string, string>>;
}

/**
 * `gatehouse deploy`: builds production bundles into an immutable artifact, records it as the stage's live
 * version, and has the host serve it. A build or config error happens before anything is recorded, so the
 * live version stays as it was.
 */
export interface DeployStageOptions {
  cwd: string;
  stage?: string;
  home: HostHome;
  progress: (line: string) => void;
  /** Hears warnings (an issuer this machine cannot reach); they do not stop the deploy. */
  warn?: (line: string) => void;
  /** `embedded`: the stage impersonates the issuers it names with its own tenants, as dev does (opt-in, for previews). */
  idp?: "embedded" | "remote";
  /** Bound on each issuer's reachability check (default ISSUER_CHECK_TIMEOUT_MS, or GATEHOUSE_ISSUER_CHECK_MS). */
  issuerCheckTimeoutMs?: number;
}

export async function deployStage(options: DeployStageOptions): Promise<DeployResult> {
  const config = loadConfig(options.cwd, { stage: options.stage });
  return deployUnderLock(config, options, async () => {
    options.progress(`Building stacks for stage ${config.stage}`);
    const synthesized = (await synthApp(config)).manifest;
    // The mode is part of the version: switching it is a new deploy, and the host reads it from the artifact.
    const manifest = options.idp === "embedded" ? { ...synthesized, identityProvider: "embedded" as const } : synthesized;
    if (options.idp !== "embedded") await warnUnreachableIssuers(manifest, options.warn ?? options.progress, options.issuerCheckTimeoutMs);
    return manifest;
  });
}

/**
 * Builds the manifest (`synthesize`), bundles it, records and serves it, all under the stage's lock: one deploy
 * (or remove) of a stage at a time, so the version a deploy records is the one it checks and reports, and no
 * other deploy can make another version live in between (docs/host.md).
 */
export async function deployUnderLock(
  app: { name: string; stage: string },
  options: { home: HostHome; progress: (line: string) => void },
  synthesize: () => Promise<Manifest>,
): Promise<DeployResult> {
  secureHome(options.home);
  return holdStageLock(options.home, app.name, app.stage, "deploy", async () => deployManifestLocked(await synthesize(), options));
}

async function deployManifestLocked(manifest: Manifest, options: { home: HostHome; progress: (line: string) => void }): Promise<DeployResult> {
  const { home, progress } = options;
  const config = { name: manifest.app.name, stage: manifest.app.stage };
  progress(`Bundling ${Object.keys(manifest.functions).length} function(s) for production`);
  const artifact = await buildArtifact(manifest, stageDir(home.artifacts, config.name, config.stage));
  // A host that holds the home but does not answer is refused here, before anything is recorded.
  await ensureHost(home);
  const store = new DeploymentStore(home.database);
  let version: number;
  let unchanged = false;
  let previous: number | null = null;
  try {
    const live = store.getStage(config.name, config.stage);
    previous = live?.liveVersion ?? null;
    // Tenants keep their ports too: a tenant's URL is its issuer, baked into every token it signed.
    // Static sites too, so a site's URL survives redeploys and host restarts.
    const portKeys = [...manifest.apis.map((api) => api.id), ...manifest.auths.map((auth) => tenantPortKey(auth.id)), ...manifest.staticSites.map((site) => site.id)];
    await store.assignPorts(config.name, config.stage, portKeys, firstStagePort(), isPortFree);
    if (live?.liveHash === artifact.hash && live.liveVersion !== null) {
      version = live.liveVersion;
      unchanged = true;
    } else {
      version = store.recordDeployment(config.name, config.stage, artifact.hash, artifact.dir);
    }
  } finally {
    store.close();
  }
  for (const stack of manifest.stacks) progress(`${stack.name}: deploying...`);
  let served: ServedStage | undefined;
  try {
    const status = await reconcileHost(home);
    served = status.stages.find((stage) => stage.app === config.name && stage.stage === config.stage);
  } catch (err) {
    if (!unchanged) await rollBack(home, config.name, config.stage, version, previous);
    throw err;
  }
  if (!served || served.hash !== artifact.hash || served.version !== version) {
    // The version is not live if the host cannot serve it: the previous one stays (or comes back).
    if (!unchanged) await rollBack(home, config.name, config.stage, version, previous);
    const kept = previous === null ? "nothing is served for this stage" : `version ${previous} stays live`;
    throw new GatehouseError("GH_ERR_DEPLOY_FAILED", `The host could not serve version ${version} of ${config.name}/${config.stage}; ${kept}. Fix: see ${home.log}.`);
  }
  return { app: config.name, stage: config.stage, version, unchanged, outputs: served.outputs };
}

/** Puts `previous` back in place of this deploy's own `version`, and never in place of another's. */
async function rollBack(home: HostHome, app: string, stage: string, version: number, previous: number | null): Promise<void> {
  const store = new DeploymentStore(home.database);
  let changed: boolean;
  try {
    changed = store.rollBack(app, stage, version, previous);
  } finally {
    store.close();
  }
  if (changed && (await hostStatus(home))) await reconcileHost(home).catch(() => {});
}

/** Warns, naming each issuer the stage trusts that this machine cannot reach: its tokens will all be refused. */
export async function warnUnreachableIssuers(manifest: Manifest, warn: (line: string) => void, timeoutMs?: number): Promise<void> {
  const fromEnv = Number(process.env.GATEHOUSE_ISSUER_CHECK_MS);
  const bound = timeoutMs ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : ISSUER_CHECK_TIMEOUT_MS);
  for (const { issuer, reason } of await unreachableIssuers(manifest, { timeoutMs: bound })) {
    warn(
      `Warning [GH_ERR_ISSUER_UNREACHABLE]: the issuer ${issuer} cannot be reached from this machine (${reason}); the stage deploys, but its JWT routes will refuse every token until it can. Fix: check the network, or deploy with --idp embedded to give this stage its own impersonated tenant.`,
    );
  }
}

/** True when nothing listens on 127.0.0.1:`port`. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}
