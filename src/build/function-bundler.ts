import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { type BuildContext, type Metafile, context } from "esbuild";
import type { FunctionManifest } from "../manifest/manifest.js";
import { GatehouseError } from "../errors.js";
import { buildFailureMessages, formatBuildMessages } from "./format-build-error.js";
import { REQUIRE_SHIM } from "./require-shim.js";
import { sdkV2Plugin } from "./sdk-v2-plugin.js";

export interface BuiltFunction {
  id: string;
  bundlePath: string;
  /** Content hash of the bundle: a new value means new code. */
  version: string;
}

export interface FunctionBuild {
  functions: Record<string, BuiltFunction>;
  /** Ids whose code changed since the previous build (all of them on the first). */
  changed: string[];
  /** Absolute paths of the app files the handlers were built from. */
  inputs: string[];
}

export interface FunctionBundlerOptions {
  root: string;
  outDir: string;
  /** Production builds: minified, with linked source maps. */
  production?: boolean;
  /** AWS SDK v2 (`aws-sdk`) loaded from the app's node_modules (default) or inside each bundle; see sdk-v2-plugin.ts. */
  sdkV2?: "external" | "bundled";
}

/**
 * Bundles every handler with one incremental esbuild context, so a save rebuilds only what changed and
 * reports which functions got new code.
 */
export class FunctionBundler {
  private ctx: BuildContext<{ write: false; metafile: true }> | null = null;
  private entryKey = "";
  private readonly versions = new Map<string, string>();

  constructor(private readonly options: FunctionBundlerOptions) {}

  /** Builds (or rebuilds) the handlers of `functions`; throws HANDLER_BUILD_FAILED with esbuild's diagnostics. */
  async build(functions: FunctionManifest[]): Promise<FunctionBuild> {
    const key = JSON.stringify(functions.map((fn) => [fn.id, fn.entry]));
    if (!this.ctx || key !== this.entryKey) {
      await this.ctx?.dispose();
      this.ctx = await context({
        entryPoints: functions.map((fn) => ({ in: fn.entry, out: fn.id })),
        outdir: this.options.outDir,
        outExtension: { ".js": ".mjs" },
        bundle: true,
        write: false,
        metafile: true,
        format: "esm",
        platform: "node",
        target: "node20",
        minify: this.options.production === true,
        sourcemap: this.options.production ? "linked" : "inline",
        logLevel: "silent",
        absWorkingDir: this.options.root,
        banner: { js: REQUIRE_SHIM },
        plugins: [sdkV2Plugin({ mode: this.options.sdkV2 ?? "external" })],
      });
      this.entryKey = key;
    }
    let result: Awaited<ReturnType<BuildContext<{ write: false; metafile: true }>["rebuild"]>>;
    try {
      result = await this.ctx.rebuild();
    } catch (err) {
      const messages = buildFailureMessages(err);
      if (!messages) throw err;
      throw new GatehouseError("GH_ERR_HANDLER_BUILD_FAILED", `A handler failed to build:\n${formatBuildMessages(messages)}`);
    }
    this.checkExports(functions, result.metafile);
    mkdirSync(this.options.outDir, { recursive: true });
    const built: Record<string, BuiltFunction> = {};
    const changed: string[] = [];
    const byPath = new Map(result.outputFiles.map((file) => [file.path, file]));
    for (const fn of functions) {
      const bundlePath = join(this.options.outDir, `${fn.id}.mjs`);
      const file = byPath.get(bundlePath);
      if (!file) throw new Error(`internal: no bundle for ${fn.id}`);
      const version = createHash("sha256").update(file.contents).digest("hex").slice(0, 16);
      if (this.versions.get(fn.id) !== version) {
        writeFileSync(bundlePath, file.contents);
        const map = byPath.get(`${bundlePath}.map`);
        if (map) writeFileSync(map.path, map.contents);
        this.versions.set(fn.id, version);
        changed.push(fn.id);
      }
      built[fn.id] = { id: fn.id, bundlePath, version };
    }
    const inputs = Object.keys(result.metafile.inputs)
      .map((input) => resolve(this.options.root, input))
      .filter((input) => !input.includes("/node_modules/"));
    return { functions: built, changed, inputs };
  }

  /** Stops esbuild's incremental context. */
  async dispose(): Promise<void> {
    await this.ctx?.dispose();
    this.ctx = null;
  }

  private checkExports(functions: FunctionManifest[], metafile: Metafile): void {
    for (const fn of functions) {
      const output = Object.entries(metafile.outputs).find(([path]) => resolve(this.options.root, path) === join(this.options.outDir, `${fn.id}.mjs`));
      const exports = output?.[1].exports ?? [];
      // A CommonJS handler shows only `default`; its named export is checked when it runs.
      if (exports.length === 0 || (exports.length === 1 && exports[0] === "default")) continue;
      if (!exports.includes(fn.exportName)) {
        const file = relative(this.options.root, fn.entry);
        throw new GatehouseError(
          "GH_ERR_HANDLER_EXPORT_NOT_FOUND",
          `${file}: function "${fn.id}" (handler "${fn.handler}") needs an export named "${fn.exportName}", but the file exports ${exports.map((name) => `"${name}"`).join(", ")}. Fix: export function ${fn.exportName}, or correct the handler.`,
        );
      }
    }
  }
}
