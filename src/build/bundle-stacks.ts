import { join, resolve } from "node:path";
import { build } from "esbuild";
import { GatehouseError } from "../errors.js";
import { makePrivateDir } from "../private-files.js";
import { buildFailureMessages, formatBuildMessages } from "./format-build-error.js";
import { REQUIRE_SHIM } from "./require-shim.js";
import { appFilePathsPlugin } from "./app-file-paths.js";
import { loadEsbuildPlugins } from "./esbuild-config-plugins.js";
import { sstAliasPlugin } from "./sst-aliases.js";

export interface StacksBundle {
  /** Absolute path of the ESM bundle to import. */
  outputPath: string;
  /** Absolute paths of the app files the bundle was built from (what to watch). */
  inputs: string[];
}

let sequence = 0;

/** Bundles the stacks entry into a fresh ESM file (a new name each time, since ESM imports are cached). */
export async function bundleStacks(options: { root: string; entry: string; outDir: string; esbuildConfig?: string }): Promise<StacksBundle> {
  makePrivateDir(options.outDir);
  const appPlugins = options.esbuildConfig ? await loadEsbuildPlugins(options.esbuildConfig) : [];
  const outputPath = join(options.outDir, `stacks-${process.pid}-${++sequence}.mjs`);
  try {
    const result = await build({
      entryPoints: [options.entry],
      outfile: outputPath,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "inline",
      metafile: true,
      logLevel: "silent",
      absWorkingDir: options.root,
      plugins: [sstAliasPlugin(), ...appPlugins, appFilePathsPlugin(options.root)],
      banner: { js: REQUIRE_SHIM },
    });
    const inputs = Object.keys(result.metafile.inputs)
      .map((input) => resolve(options.root, input))
      .filter((input) => input.startsWith(options.root) && !input.includes("/node_modules/"));
    return { outputPath, inputs };
  } catch (err) {
    const messages = buildFailureMessages(err);
    if (!messages) throw err;
    throw new GatehouseError("GH_ERR_STACKS_BUILD_FAILED", `The stacks failed to build:\n${formatBuildMessages(messages)}`);
  }
}
