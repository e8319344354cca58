import { join, resolve } from "node:path";
import { type AppConfig, loadConfig } from "../app/load-config.js";
import { stageStateDir } from "../app/stage-paths.js";
import { synthApp } from "../app/synth-app.js";
import type { Manifest } from "../manifest/manifest.js";
import { type Assembly, synthAssembly } from "./synth-assembly.js";

/** Where a stage's cloud assembly goes unless `--out` says otherwise: `.gatehouse/<stage>/cdk.out`. */
export function defaultAssemblyDir(config: AppConfig): string {
  return join(stageStateDir(config), "cdk.out");
}

/** `gatehouse synth`: runs the app's stacks for the stage and writes the CDK cloud assembly. */
export async function synthStage(options: { cwd: string; stage?: string; out?: string; skeleton?: boolean }): Promise<{ config: AppConfig; manifest: Manifest; assembly: Assembly }> {
  const config = loadConfig(options.cwd, { stage: options.stage });
  const { manifest } = await synthApp(config);
  const assembly = await synthAssembly(manifest, {
    outDir: options.out ? resolve(options.cwd, options.out) : defaultAssemblyDir(config),
    bundleDir: join(stageStateDir(config), "aws-bundles"),
    skeleton: options.skeleton,
  });
  return { config, manifest, assembly };
}
