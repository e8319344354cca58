import { rmSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleStacks } from "../build/bundle-stacks.js";
import { GatehouseError, isGatehouseError } from "../errors.js";
import { App } from "./constructs/app.js";
import type { AppConfig } from "./load-config.js";
import type { Manifest } from "../manifest/manifest.js";
import { stageBuildDir } from "./stage-paths.js";
import { StacksRunGuard } from "./stacks-run-guard.js";

export interface SynthResult {
  manifest: Manifest;
  /** App files the stacks were built from; an edit to one means synthesizing again. */
  stackInputs: string[];
}

export interface SynthOptions {
  /** How long loading the stacks and running their `main(app)` may take together (default 30 s). */
  timeoutMs?: number;
}

/** Default bound on loading and running the stacks (docs/runtime.md, "Stacks that never finish"). */
export const DEFAULT_SYNTH_TIMEOUT_MS = 30_000;

/** Builds the stacks, runs their `main(app)` and returns the manifest. */
export async function synthApp(config: AppConfig, options: SynthOptions = {}): Promise<SynthResult> {
  const bundle = await bundleStacks({ root: config.root, entry: config.main, outDir: join(stageBuildDir(config), "stacks") });
  // Source maps let construct errors name the app file and line that created them.
  process.setSourceMapsEnabled(true);
  const entryName = relative(config.root, config.main);
  // The stacks run in this process: a main that never settles or calls process.exit would otherwise end
  // dev without a word. The guard turns both into GH_ERR_STACKS_RUN_FAILED naming the entry.
  const guard = new StacksRunGuard(entryName, options.timeoutMs ?? DEFAULT_SYNTH_TIMEOUT_MS);
  try {
    let module: Record<string, unknown>;
    try {
      module = await guard.run(() => import(pathToFileURL(bundle.outputPath).href) as Promise<Record<string, unknown>>, "loading");
    } catch (err) {
      rmSync(bundle.outputPath, { force: true });
      throw asStacksError(err, `${entryName} failed while loading`);
    }
    const main = (module.default ?? module.main) as unknown;
    if (typeof main !== "function") {
      throw new GatehouseError("GH_ERR_STACKS_RUN_FAILED", `${entryName}: no main function. Fix: add \`export default function main(app) { new MyStack(app, "my-stack"); }\`.`);
    }
    const app = new App({ name: config.name, stage: config.stage, region: config.region, root: config.root });
    try {
      await guard.run(async () => main(app), "main(app)");
    } catch (err) {
      throw asStacksError(err, `${entryName}: main(app) threw`);
    } finally {
      // Loaded and run: the file is no longer needed, and each stack edit would otherwise leave one behind.
      rmSync(bundle.outputPath, { force: true });
    }
    if (app.stacks.length === 0) {
      throw new GatehouseError("GH_ERR_STACKS_RUN_FAILED", `${entryName}: main(app) created no stack. Fix: add \`new MyStack(app, "my-stack")\`.`);
    }
    return { manifest: app.synth(), stackInputs: bundle.inputs };
  } finally {
    guard.dispose();
  }
}

function asStacksError(err: unknown, what: string): GatehouseError {
  if (isGatehouseError(err)) return new GatehouseError(err.code, err.message);
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return new GatehouseError("GH_ERR_STACKS_RUN_FAILED", `${what}:\n${message}`);
}
