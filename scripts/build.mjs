// Transpiles src/ to dist/ file by file, so the CLI starts from plain JavaScript without a type-check.
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;

function listSources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

rmSync(join(root, "dist"), { recursive: true, force: true });
await build({
  entryPoints: listSources(join(root, "src")),
  outdir: join(root, "dist"),
  outbase: join(root, "src"),
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
});
