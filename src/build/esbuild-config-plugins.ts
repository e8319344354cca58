import { pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { GatehouseError } from "../errors.js";

/**
 * The esbuild plugins an app's `esbuildConfig` file exports (sst.json, or a function's `bundle.esbuildConfig`):
 * `module.exports = { plugins: [...] }` or `export const plugins = [...]` (docs/sst-apps.md, "Function props").
 */
export async function loadEsbuildPlugins(file: string): Promise<Plugin[]> {
  let module: Record<string, unknown>;
  try {
    // A query makes an edited file load again (ESM imports are cached by URL).
    module = (await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as Record<string, unknown>;
  } catch (err) {
    throw new GatehouseError("GH_ERR_ESBUILD_CONFIG_INVALID", `${file} failed to load: ${(err as Error).message}. Fix: it must export { plugins: [...] }.`);
  }
  const exported = (module.default as Record<string, unknown> | undefined)?.plugins ?? module.plugins;
  const plugins = exported === undefined ? [] : exported;
  if (!Array.isArray(plugins) || plugins.some((plugin) => typeof plugin?.name !== "string" || typeof plugin?.setup !== "function")) {
    throw new GatehouseError("GH_ERR_ESBUILD_CONFIG_INVALID", `${file}: "plugins" must be a list of esbuild plugins ({ name, setup }).`);
  }
  return plugins as Plugin[];
}
