import { readFileSync } from "node:fs";
import type { Plugin } from "esbuild";
import { pointSdkV2AtLocalEndpoints } from "../runtime/sdk-v2-endpoints.js";

const NAMESPACE = "gatehouse-sdk-v2";
const SDK_V2 = /^aws-sdk(\/.*)?$/;
const SDK_V2_LOADER = /[\\/]aws-sdk[\\/]lib[\\/]node_loader\.js$/;

/**
 * How handler bundles treat AWS SDK v2 (`aws-sdk`), see docs/tables.md:
 * - "external" (dev and the host): left out of the bundle and loaded from where the handler's own import
 *   resolves, as SST 0.x did (Lambda provided v2 to Node runtimes up to 16). Bundled, v2 costs seconds per
 *   build and per worker start and tens of MB per function. A small CommonJS module in the bundle stands in
 *   for it, so named imports (`import { DynamoDB } from "aws-sdk"`) work as they do bundled. The runtime
 *   configures it as it loads (src/runtime/sdk-v2-endpoints.js).
 * - "bundled" (a self-contained package, e.g. for a runtime that provides no v2): inside the bundle, with the
 *   same endpoint configuration appended to the SDK's loader module.
 */
export function sdkV2Plugin(options: { mode: "external" | "bundled" }): Plugin {
  return {
    name: "gatehouse-sdk-v2",
    setup(build) {
      if (options.mode === "bundled") {
        build.onLoad({ filter: SDK_V2_LOADER }, (args) => ({
          contents: `${readFileSync(args.path, "utf8")}\n;(${pointSdkV2AtLocalEndpoints.toString()})(module.exports, process.env);\n`,
          loader: "js",
        }));
        return;
      }
      build.onResolve({ filter: SDK_V2 }, async (args) => {
        // The stand-in's own require, and our own look-up below, resolve as they would without this plugin.
        if (args.pluginData?.gatehouseSkip || args.namespace === NAMESPACE) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { gatehouseSkip: true } });
        // Not installed: esbuild reports it as for any other package. Marked external by the app
        // (`bundle.externalModules`): left to esbuild, which keeps the require as written.
        if (resolved.errors.length > 0 || !resolved.path || resolved.external) return undefined;
        return { path: resolved.path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});\n`,
        loader: "js",
      }));
      build.onResolve({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ path: args.path, external: true }));
    },
  };
}
