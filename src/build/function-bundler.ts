import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { basename, extname, join, relative, resolve } from "node:path";
import { type BuildContext, type Loader, type Metafile, type Plugin, context } from "esbuild";
import { runtimeFamily } from "../manifest/runtime-family.js";
import type { FunctionManifest } from "../manifest/manifest.js";
import { GatehouseError } from "../errors.js";
import { PRIVATE_FILE_MODE, makePrivateDir } from "../private-files.js";
import { buildFailureMessages, formatBuildMessages } from "./format-build-error.js";
import { appFilePathsPlugin } from "./app-file-paths.js";
import { loadEsbuildPlugins } from "./esbuild-config-plugins.js";
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
  /** One incremental context per distinct set of `bundle` options (most apps have one). */
  private readonly groups = new Map<string, { ctx: BuildContext<{ write: false; metafile: true }>; entryKey: string }>();
  private readonly versions = new Map<string, string>();

  constructor(private readonly options: FunctionBundlerOptions) {}

  /**
   * Builds (or rebuilds) the Node.js handlers of `functions`; functions of other runtimes are not built (docs/
   * sst-apps.md, "Other runtimes"). Throws HANDLER_BUILD_FAILED with esbuild's diagnostics.
   */
  async build(functions: FunctionManifest[]): Promise<FunctionBuild> {
    const node = functions.filter((fn) => runtimeFamily(fn.runtime) === "node");
    const byGroup = new Map<string, FunctionManifest[]>();
    for (const fn of node) {
      const key = JSON.stringify(fn.bundle ?? null);
      byGroup.set(key, [...(byGroup.get(key) ?? []), fn]);
    }
    for (const [key, group] of this.groups) {
      if (byGroup.has(key)) continue;
      await group.ctx.dispose();
      this.groups.delete(key);
    }
    const built: Record<string, BuiltFunction> = {};
    const changed: string[] = [];
    const inputs = new Set<string>();
    for (const [key, members] of byGroup) {
      const result = await this.buildGroup(key, members);
      Object.assign(built, result.functions);
      changed.push(...result.changed);
      for (const input of result.inputs) inputs.add(input);
    }
    return { functions: built, changed, inputs: [...inputs] };
  }

  private async buildGroup(groupKey: string, functions: FunctionManifest[]): Promise<FunctionBuild> {
    const key = JSON.stringify(functions.map((fn) => [fn.id, fn.entry]));
    let group = this.groups.get(groupKey);
    if (!group || key !== group.entryKey) {
      await group?.ctx.dispose();
      const bundle = functions[0].bundle;
      const appPlugins = bundle?.esbuildConfig ? await loadEsbuildPlugins(bundle.esbuildConfig) : [];
      const ctx = await this.createContext(functions, bundle, appPlugins);
      group = { ctx, entryKey: key };
      this.groups.set(groupKey, group);
    }
    let result: Awaited<ReturnType<BuildContext<{ write: false; metafile: true }>["rebuild"]>>;
    try {
      result = await group.ctx.rebuild();
    } catch (err) {
      const messages = buildFailureMessages(err);
      if (!messages) throw err;
      throw new GatehouseError("GH_ERR_HANDLER_BUILD_FAILED", `A handler failed to build:\n${formatBuildMessages(messages)}`);
    }
    this.checkExports(functions, result.metafile);
    makePrivateDir(this.options.outDir);
    const built: Record<string, BuiltFunction> = {};
    const changed: string[] = [];
    const byPath = new Map(result.outputFiles.map((file) => [file.path, file]));
    const written = new Set<string>();
    for (const fn of functions) {
      const bundlePath = join(this.options.outDir, `${this.outputName(fn)}.mjs`);
      const file = byPath.get(bundlePath);
      if (!file) throw new Error(`internal: no bundle for ${fn.id}`);
      const version = createHash("sha256").update(file.contents).digest("hex").slice(0, 16);
      if (this.versions.get(fn.id) !== version) {
        if (!written.has(bundlePath)) {
          writeFileSync(bundlePath, file.contents, { mode: PRIVATE_FILE_MODE });
          const map = byPath.get(`${bundlePath}.map`);
          if (map) writeFileSync(map.path, map.contents, { mode: PRIVATE_FILE_MODE });
          written.add(bundlePath);
        }
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

  /** One incremental context; options esbuild refuses (a `bundle.loader` it does not know) are the user's error. */
  private async createContext(functions: FunctionManifest[], bundle: FunctionManifest["bundle"], appPlugins: Plugin[]): Promise<BuildContext<{ write: false; metafile: true }>> {
    try {
      return await context({
        // Entries are relative to the app root in the manifest (absolute in older ones: resolve keeps those).
        // Functions sharing an output (dev: one handler file) share one entry point.
        entryPoints: [...new Map(functions.map((fn) => [this.outputName(fn), resolve(this.options.root, fn.entry)])).entries()].map(([out, entry]) => ({ in: entry, out })),
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
        // Stack traces need the mappings, not the sources (they are the app's own files): in dev, a bundle that
        // carries the AWS SDK is 40% smaller without them and its worker imports it a third faster.
        sourcesContent: this.options.production === true,
        logLevel: "silent",
        absWorkingDir: this.options.root,
        banner: { js: REQUIRE_SHIM },
        plugins: [...appPlugins, appFilePathsPlugin(this.options.root), sdkV2Plugin({ mode: this.options.sdkV2 ?? "external" })],
        ...(bundle
          ? { external: bundle.external, loader: bundle.loader as Record<string, Loader>, define: bundle.define }
          : {}),
      });
    } catch (err) {
      const messages = buildFailureMessages(err);
      const names = functions.map((fn) => fn.handler).join(", ");
      throw new GatehouseError("GH_ERR_HANDLER_BUILD_FAILED", `Bundling options of ${names} are not ones esbuild accepts:\n${messages ? formatBuildMessages(messages) : (err as Error).message}`);
    }
  }

  /**
   * The bundle a function gets, without extension. Production builds (the host, AWS) give each function its own,
   * as Lambda packages each function's code. Dev bundles each handler file once: SST apps often route several
   * exports of one file (`notes.list`, `notes.get`), and building one bundle per route multiplied the work (a file
   * that imports the AWS SDK took seconds to build three times). Each function still runs in its own workers.
   */
  private outputName(fn: FunctionManifest): string {
    if (this.options.production) return fn.id;
    const entry = resolve(this.options.root, fn.entry);
    const name = basename(entry, extname(entry)).replace(/[^A-Za-z0-9_-]/g, "_");
    // Functions with other bundle options are built apart (one context per options), so those name their own.
    return `${name}-${createHash("sha256").update(JSON.stringify([entry, fn.bundle ?? null])).digest("hex").slice(0, 8)}`;
  }

  /** Stops esbuild's incremental contexts. */
  async dispose(): Promise<void> {
    for (const group of this.groups.values()) await group.ctx.dispose();
    this.groups.clear();
  }

  private checkExports(functions: FunctionManifest[], metafile: Metafile): void {
    for (const fn of functions) {
      const output = Object.entries(metafile.outputs).find(([path]) => resolve(this.options.root, path) === join(this.options.outDir, `${this.outputName(fn)}.mjs`));
      const exports = output?.[1].exports ?? [];
      // A CommonJS handler shows only `default`; its named export is checked when it runs.
      if (exports.length === 0 || (exports.length === 1 && exports[0] === "default")) continue;
      if (!exports.includes(fn.exportName)) {
        const file = relative(this.options.root, resolve(this.options.root, fn.entry));
        throw new GatehouseError(
          "GH_ERR_HANDLER_EXPORT_NOT_FOUND",
          `${file}: function "${fn.id}" (handler "${fn.handler}") needs an export named "${fn.exportName}", but the file exports ${exports.map((name) => `"${name}"`).join(", ")}. Fix: export function ${fn.exportName}, or correct the handler.`,
        );
      }
    }
  }
}
