import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FunctionBundler } from "../build/function-bundler.js";
import { GatehouseError, isGatehouseError } from "../errors.js";
import type { Manifest } from "../manifest/manifest.js";
import { loadCdk } from "./cdk-modules.js";
import { checkAwsSupport } from "./check-aws-support.js";
import { mapApis, mapRoutes } from "./map-apis.js";
import { mapCdkCode } from "./map-cdk-code.js";
import { mapCronJobs, mapCrons } from "./map-crons.js";
import { mapFunctions } from "./map-functions.js";
import { mapOutputs } from "./map-outputs.js";
import { mapQueueConsumers, mapQueues } from "./map-queues.js";
import { mapStacks } from "./map-stacks.js";
import { mapTableConsumers, mapTables } from "./map-tables.js";
import { mapTopicSubscribers, mapTopics } from "./map-topics.js";
import { SynthContext } from "./synth-context.js";

export interface AssemblyStack {
  /** The SST stack id (`my-stack`). */
  id: string;
  /** The CloudFormation stack name (`prod-my-app-my-stack`). */
  name: string;
  /** The template's path inside the assembly. */
  templateFile: string;
}

export interface Assembly {
  /** The cloud assembly directory (what `cdk deploy --app <dir>` takes). */
  dir: string;
  stacks: AssemblyStack[];
  /** Said once each: settings AWS forced to change (an old runtime raised). */
  notices: string[];
}

export interface SynthAssemblyOptions {
  /** Where the cloud assembly goes; emptied first. */
  outDir: string;
  /** Where the production bundles are built, one directory per function. */
  bundleDir: string;
  /**
   * Stacks with nothing in them: enough for the toolkit to find and destroy the deployed stacks by name,
   * without bundling any code (`remove`).
   */
  skeleton?: boolean;
}

/**
 * The manifest as a CDK cloud assembly: one CloudFormation stack per SST stack, built with aws-cdk-lib, each
 * manifest section turned into CDK constructs by its own mapper. Refuses what AWS cannot take before
 * building anything. The same app gives byte-identical templates: bundles are deterministic, assets are
 * named by content, and no version or timestamp metadata is written.
 */
export async function synthAssembly(manifest: Manifest, options: SynthAssemblyOptions): Promise<Assembly> {
  if (!options.skeleton) checkAwsSupport(manifest);
  const bundleDirs = options.skeleton ? {} : await buildBundles(manifest, options.bundleDir);
  const cdk = await loadCdk();
  rmSync(options.outDir, { recursive: true, force: true });
  const app = new cdk.core.App({ outdir: options.outDir, analyticsReporting: false, autoSynth: false });
  const ctx = new SynthContext(cdk, manifest);
  let assembly: import("aws-cdk-lib/cx-api").CloudAssembly;
  try {
    mapConstructs(ctx, app, options.skeleton === true, bundleDirs);
    assembly = app.synth();
  } catch (err) {
    throw asCdkRefusal(err);
  }
  return {
    dir: assembly.directory,
    stacks: manifest.stacks.map((stack) => ({ id: stack.id, name: stack.name, templateFile: join(assembly.directory, `${stack.name}.template.json`) })),
    notices: ctx.notices,
  };
}

function mapConstructs(ctx: SynthContext, app: import("aws-cdk-lib").App, skeleton: boolean, bundleDirs: Record<string, string>): void {
  const { cdk } = ctx;
  mapStacks(ctx, app);
  if (skeleton) {
    // Never deployed, only named for destroy; one inert resource keeps CDK's template check from warning
    // that a template has none.
    for (const stack of ctx.stacks.values()) new cdk.core.CfnWaitConditionHandle(stack, "Placeholder");
  } else {
    mapApis(ctx);
    // Resources before functions, whose grants and environments name them; wiring after both.
    mapTables(ctx);
    mapQueues(ctx);
    mapTopics(ctx);
    mapCrons(ctx);
    mapFunctions(ctx, bundleDirs);
    mapTableConsumers(ctx);
    mapQueueConsumers(ctx);
    mapTopicSubscribers(ctx);
    mapCronJobs(ctx);
    mapRoutes(ctx);
    mapOutputs(ctx);
    // What the stacks' own CDK code made and changed, once everything it may refer to exists.
    mapCdkCode(ctx);
  }
}

/**
 * aws-cdk-lib validates what it is given (names, paths, ranges) and throws its own ValidationError; the
 * manifest passed Gatehouse's checks, so such a refusal is about AWS's rules: said as a coded user error.
 */
function asCdkRefusal(err: unknown): unknown {
  if (isGatehouseError(err)) return err;
  if ((err as Error | null)?.name === "ValidationError") {
    return new GatehouseError("GH_ERR_AWS_UNSUPPORTED", `aws-cdk-lib refused the app for AWS: ${(err as Error).message.split("\n")[0]}`);
  }
  return err;
}

/**
 * Production bundles (minified, linked source maps), as `deploy` builds them for the host, then one
 * directory per function so each Lambda's code asset holds only its own bundle. Both live side by side
 * under `bundleDir`, so the source maps' relative paths stay right after the copy.
 */
async function buildBundles(manifest: Manifest, bundleDir: string): Promise<Record<string, string>> {
  const allDir = join(bundleDir, "all");
  rmSync(bundleDir, { recursive: true, force: true });
  const bundler = new FunctionBundler({ root: manifest.app.root, outDir: allDir, production: true });
  try {
    const build = await bundler.build(Object.values(manifest.functions));
    const dirs: Record<string, string> = {};
    for (const fn of Object.values(build.functions)) {
      const dir = join(bundleDir, `fn-${fn.id}`);
      mkdirSync(dir, { recursive: true });
      copyFileSync(fn.bundlePath, join(dir, `${fn.id}.mjs`));
      if (existsSync(`${fn.bundlePath}.map`)) copyFileSync(`${fn.bundlePath}.map`, join(dir, `${fn.id}.mjs.map`));
      dirs[fn.id] = dir;
    }
    return dirs;
  } finally {
    await bundler.dispose();
  }
}
