import { readFile } from "node:fs/promises";
import { dirname, extname, sep } from "node:path";
import type { Loader, Plugin } from "esbuild";

const LOADERS: Record<string, Loader> = { ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx", ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx" };
const USES_PATHS = /\b__(dirname|filename)\b/;
const DECLARES_PATHS = /\b(const|let|var|function|class)\s+__(dirname|filename)\b|\bimport\s[^;]*\b__(dirname|filename)\b/;

/**
 * Gives each app file its own `__dirname` and `__filename` inside an ESM bundle, where Node defines neither
 * ("__dirname is not defined in ES module scope"). The values are the file's own source location, as under
 * CommonJS, so stacks and handlers that read files next to themselves find them (docs/sst-apps.md). The
 * declaration goes on the file's first line, so source-mapped line numbers do not move. Files in node_modules
 * and files that declare the names themselves are left alone.
 */
export function appFilePathsPlugin(root: string): Plugin {
  return {
    name: "gatehouse-app-file-paths",
    setup(build) {
      // Only the app's own files reach this callback (a dependency tree can be thousands of files).
      const underRoot = new RegExp(`^${(root + sep).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*\\.(m|c)?(j|t)sx?$`);
      build.onLoad({ filter: underRoot }, async (args) => {
        if (args.namespace !== "file" || !args.path.startsWith(root + sep) || args.path.includes("/node_modules/")) return undefined;
        const source = await readFile(args.path, "utf8");
        if (!USES_PATHS.test(source) || DECLARES_PATHS.test(source)) return undefined;
        const loader = LOADERS[extname(args.path)];
        if (!loader) return undefined;
        const declaration = `var __filename = ${JSON.stringify(args.path)}, __dirname = ${JSON.stringify(dirname(args.path))};`;
        const contents = source.startsWith("#!") ? source.replace(/^#![^\n]*/, `// $&\n${declaration}`) : `${declaration}${source}`;
        return { contents, loader, resolveDir: dirname(args.path) };
      });
    },
  };
}
