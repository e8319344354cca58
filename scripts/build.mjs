// Transpiles src/ to dist/ file by file, so the CLI starts from plain JavaScript without a type-check.
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
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

// Files are overwritten in place rather than wiping dist/ first, so a CLI started meanwhile never finds it empty.
const result = await build({
  entryPoints: listSources(join(root, "src")),
  outdir: join(root, "dist"),
  outbase: join(root, "src"),
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  metafile: true,
});
const outputs = new Set(Object.keys(result.metafile.outputs).map((path) => join(root, path)));
const dist = join(root, "dist");
const listOutputs = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listOutputs(path) : [path];
  });
if (existsSync(dist)) {
  for (const stale of listOutputs(dist).filter((path) => !outputs.has(path))) rmSync(stale);
}
