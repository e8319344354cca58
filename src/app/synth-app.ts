import { existsSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleStacks } from "../build/bundle-stacks.js";
import { GatehouseError, isGatehouseError } from "../errors.js";
import { provideCdkModules } from "./cdk/cdk-modules.js";
import { CdkRecorder } from "./cdk/cdk-recorder.js";
import { App } from "./constructs/app.js";
import type { AppConfig } from "./load-config.js";
import type { Manifest } from "../manifest/manifest.js";
import { makePrivateDir, makeTreePrivate } from "../private-files.js";
import { readDotenvFiles } from "./dotenv-files.js";
import { appStateRoot, stageBuildDir } from "./stage-paths.js";
import { StacksRunGuard } from "./stacks-run-guard.js";

export interface SynthResult {
  manifest: Manifest;
  /** App files the stacks were built from; an edit to one means synthesizing again. */
  stackInputs: string[];
}

export interface SynthOptions {
  /** How long loading the stacks and running their `main(app)` may take together (default 30 s). */
  timeoutMs?: number;
  /** Synthesizing for dev: IS_LOCAL is set for the stacks, and an entry without stacks is a notice. */
  local?: boolean;
}

/** Default bound on loading and running the stacks (docs/runtime.md, "Stacks that never finish"). */
export const DEFAULT_SYNTH_TIMEOUT_MS = 30_000;

/** Builds the stacks, runs their `main(app)` and returns the manifest. */
export async function synthApp(config: AppConfig, options: SynthOptions = {}): Promise<SynthResult> {
  // `.gatehouse` holds dev tenants (signing keys, client secrets, sessions): for the owner only, and state
  // left by an older Gatehouse is fixed here, before any of it is used (docs/host.md).
  makePrivateDir(appStateRoot(config));
  makeTreePrivate(appStateRoot(config));
  const bundle = await bundleStacks({
    root: config.root,
    entry: config.main,
    outDir: join(stageBuildDir(config), "stacks"),
    ...(config.esbuildConfig ? { esbuildConfig: config.esbuildConfig } : {}),
  });
  // Source maps let construct errors name the app file and line that created them.
  process.setSourceMapsEnabled(true);
  const entryName = relative(config.root, config.main);
  // The stacks run in this process: a main that never settles or calls process.exit would otherwise end
  // dev without a word. The guard turns both into GH_ERR_STACKS_RUN_FAILED naming the entry.
  const guard = new StacksRunGuard(entryName, options.timeoutMs ?? DEFAULT_SYNTH_TIMEOUT_MS);
  provideCdkModules();
  // CDK code the stacks run beside the SST constructs, at load or in main(app), is recorded for cloud targets
  // (docs/aws-target.md, "CDK code in stacks").
  const recorder = new CdkRecorder(config.root);
  try {
    let module: Record<string, unknown>;
    try {
      module = await guard.run(() => recorder.during(() => import(pathToFileURL(bundle.outputPath).href) as Promise<Record<string, unknown>>), "loading");
    } catch (err) {
      rmSync(bundle.outputPath, { force: true });
      throw asStacksError(err, `${entryName} failed while loading`);
    }
    const main = (module.default ?? module.main) as unknown;
    if (typeof main !== "function") {
      throw new GatehouseError("GH_ERR_STACKS_RUN_FAILED", `${entryName}: no main function. Fix: add \`export default function main(app) { new MyStack(app, "my-stack"); }\`.`);
    }
    const app = new App({ name: config.name, stage: config.stage, region: config.region, root: config.root, esbuildConfig: config.esbuildConfig });
    // CDK code reads the target account and region from these, as the CDK CLI sets them for an app.
    process.env.CDK_DEFAULT_REGION = config.region;
    process.env.CDK_DEFAULT_ACCOUNT = app.account;
    // The stacks see the app's .env files, and IS_LOCAL under dev, for as long as main runs (docs/sst-apps.md).
    const stacksEnv = { ...readDotenvFiles(config.root, config.stage, process.env), ...(options.local && process.env.IS_LOCAL === undefined ? { IS_LOCAL: "true" } : {}) };
    Object.assign(process.env, stacksEnv);
    try {
      // SST calls `handler.default(app)`: `this` is the entry module's exports, never the App (docs/sst-apps.md).
      await guard.run(() => recorder.during(async () => main.call(module, app)), "main(app)");
    } catch (err) {
      throw asStacksError(err, `${entryName}: main(app) threw`);
    } finally {
      for (const key of Object.keys(stacksEnv)) delete process.env[key];
      // Loaded and run: the file is no longer needed, and each stack edit would otherwise leave one behind.
      rmSync(bundle.outputPath, { force: true });
    }
    if (app.stacks.length === 0 && options.local) {
      // SST's own examples drifted into entries that build no stack; dev serves nothing and waits for an edit.
      app.notice(`${entryName}: main(app) created no stack, so nothing is served. Fix: add \`new MyStack(app, "my-stack")\`.`);
    } else if (app.stacks.length === 0) {
      throw new GatehouseError("GH_ERR_STACKS_RUN_FAILED", `${entryName}: main(app) created no stack. Fix: add \`new MyStack(app, "my-stack")\`.`);
    }
    // An edit to a .env file changes what the stacks see, so it means synthesizing again.
    const envFiles = [`.env.${config.stage}.local`, `.env.${config.stage}`, ".env.local", ".env"].map((name) => join(config.root, name)).filter((file) => existsSync(file));
    return { manifest: app.synth(recorder.code()), stackInputs: [...bundle.inputs, ...envFiles] };
  } finally {
    guard.dispose();
  }
}

function asStacksError(err: unknown, what: string): GatehouseError {
  if (isGatehouseError(err)) return new GatehouseError(err.code, err.message);
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return new GatehouseError("GH_ERR_STACKS_RUN_FAILED", `${what}:\n${message}`);
}
