// Transpiles src/ to dist/ file by file, so the CLI starts from plain JavaScript without a type-check.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;

const consoleUi = join(root, "src/console/ui");

function listSources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    // The console's page is bundled for the browser below, not transpiled for Node.
    if (path === consoleUi) return [];
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
// The dev console's page: Preact bundled and minified into static files that ship in the package (no CDN).
const uiOut = join(root, "dist/console/ui");
const page = await build({
  entryPoints: [join(consoleUi, "main.tsx")],
  outfile: join(uiOut, "app.js"),
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: ["chrome110", "firefox110", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
});
const css = await build({
  entryPoints: [join(consoleUi, "app.css")],
  outfile: join(uiOut, "app.css"),
  bundle: true,
  minify: true,
  logLevel: "warning",
  metafile: true,
});
mkdirSync(uiOut, { recursive: true });
copyFileSync(join(consoleUi, "index.html"), join(uiOut, "index.html"));
const outputs = new Set(
  [result, page, css].flatMap((built) => Object.keys(built.metafile.outputs)).map((path) => join(root, path)),
);
outputs.add(join(uiOut, "index.html"));
const dist = join(root, "dist");
const listOutputs = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listOutputs(path) : [path];
  });
if (existsSync(dist)) {
  for (const stale of listOutputs(dist).filter((path) => !outputs.has(path))) rmSync(stale);
}
