import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, test } from "node:test";
import type { FunctionManifest } from "../../src/manifest/manifest.js";
import { loadEsbuildPlugins } from "../../src/build/esbuild-config-plugins.js";
import { FunctionBundler } from "../../src/build/function-bundler.js";
import { functionManifest } from "../support/manifests.js";
import { tempApp } from "../support/temp-app.js";

const app = tempApp({
  "sst.json": "{}",
  "package.json": JSON.stringify({ name: "no-type-module" }),
  "src/esm.js": `import { shout } from "shout-lib";\nexport async function main() { return shout("esm"); }\n`,
  "src/cjs.js": `exports.main = async () => "cjs";\n`,
  "src/typed.ts": `export const main = async (): Promise<number> => 42 as number;\n`,
  "node_modules/shout-lib/package.json": JSON.stringify({ name: "shout-lib", main: "index.js" }),
  "node_modules/shout-lib/index.js": `module.exports.shout = (s) => s.toUpperCase() + "!";\n`,
});
after(() => app.remove());

/** A function of `file`; the handler keeps the file's extension, as the messages under test quote it. */
function fn(id: string, file: string, exportName = "main"): FunctionManifest {
  return functionManifest(id, file, { exportName, handler: `${file}.${exportName}` });
}

test("bundles ESM (without type: module), CommonJS and TypeScript handlers that import the app's node_modules", async () => {
  const bundler = new FunctionBundler({ root: app.root, outDir: join(app.root, ".gatehouse/out") });
  try {
    const fns = [fn("esm", "src/esm.js"), fn("cjs", "src/cjs.js"), fn("typed", "src/typed.ts")];
    const build = await bundler.build(fns);
    assert.deepEqual(build.changed.sort(), ["cjs", "esm", "typed"]);
    const esm = await import(pathToFileURL(build.functions.esm.bundlePath).href);
    assert.equal(await esm.main(), "ESM!");
    const cjs = await import(pathToFileURL(build.functions.cjs.bundlePath).href);
    assert.equal(await (cjs.main ?? cjs.default.main)(), "cjs");
    const typed = await import(pathToFileURL(build.functions.typed.bundlePath).href);
    assert.equal(await typed.main(), 42);
    assert.ok(build.inputs.includes(join(app.root, "src/esm.js")));

    const again = await bundler.build(fns);
    assert.deepEqual(again.changed, [], "an unchanged rebuild reports no new code");
    app.write("src/cjs.js", `exports.main = async () => "cjs v2";\n`);
    const third = await bundler.build(fns);
    assert.deepEqual(third.changed, ["cjs"], "only the edited handler gets a new version");
    assert.notEqual(third.functions.cjs.version, build.functions.cjs.version);
  } finally {
    await bundler.dispose();
  }
});

test("a missing export and a syntax error are refused with file, line and fix", async () => {
  const bundler = new FunctionBundler({ root: app.root, outDir: join(app.root, ".gatehouse/out2") });
  try {
    await assert.rejects(bundler.build([fn("esm", "src/esm.js", "handler")]), (err: { code: string; message: string }) => {
      assert.equal(err.code, "GH_ERR_HANDLER_EXPORT_NOT_FOUND");
      assert.match(err.message, /src\/esm\.js: function "esm" \(handler "src\/esm\.js\.handler"\) needs an export named "handler".*"main"/);
      return true;
    });
    app.write("src/broken.js", "export async function main() { return ; ; }}\n");
    await assert.rejects(bundler.build([fn("broken", "src/broken.js")]), (err: { code: string; message: string }) => {
      assert.equal(err.code, "GH_ERR_HANDLER_BUILD_FAILED");
      assert.match(err.message, /src\/broken\.js:1:\d+: error:/);
      return true;
    });
  } finally {
    await bundler.dispose();
  }
});

test("an esbuildConfig file that exports no plugins list is refused with its code", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-esbuild-config-"));
  try {
    writeFileSync(join(dir, "bad.cjs"), "module.exports = { plugins: [{ name: 'x' }] };\n");
    await assert.rejects(loadEsbuildPlugins(join(dir, "bad.cjs")), (err: { code?: string }) => err.code === "GH_ERR_ESBUILD_CONFIG_INVALID");
    writeFileSync(join(dir, "broken.cjs"), "module.exports = ;\n");
    await assert.rejects(loadEsbuildPlugins(join(dir, "broken.cjs")), (err: { code?: string }) => err.code === "GH_ERR_ESBUILD_CONFIG_INVALID");
    writeFileSync(join(dir, "good.cjs"), "module.exports = { plugins: [{ name: 'ok', setup() {} }] };\n");
    assert.deepEqual((await loadEsbuildPlugins(join(dir, "good.cjs"))).map((plugin) => plugin.name), ["ok"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a bundle.loader esbuild does not know is the user's error, naming the handler", async () => {
  const own = tempApp({ "src/a.js": "export async function main() { return 1; }\n" });
  const bundler = new FunctionBundler({ root: own.root, outDir: join(own.root, ".gatehouse/out") });
  const withLoader = functionManifest("a", "src/a.js", {
    handler: "src/a.main",
    bundle: { external: [], loader: { ".png": "picture" }, esbuildConfig: null, define: {} },
  });
  try {
    await assert.rejects(bundler.build([withLoader]), (err: { code?: string; message: string }) => err.code === "GH_ERR_HANDLER_BUILD_FAILED" && err.message.includes("src/a.main"));
  } finally {
    await bundler.dispose();
    own.remove();
  }
});

test("dev builds a handler file routed several times once; production gives each function its own bundle", async () => {
  app.write("src/notes.js", `export const list = async () => "list";\nexport const get = async () => "get";\n`);
  const fns = [fn("list", "src/notes.js", "list"), fn("get", "src/notes.js", "get"), fn("typed", "src/typed.ts")];
  const dev = new FunctionBundler({ root: app.root, outDir: join(app.root, ".gatehouse/dev-shared") });
  const production = new FunctionBundler({ root: app.root, outDir: join(app.root, ".gatehouse/prod-own"), production: true });
  try {
    const devBuild = await dev.build(fns);
    assert.equal(devBuild.functions.list.bundlePath, devBuild.functions.get.bundlePath);
    assert.notEqual(devBuild.functions.list.bundlePath, devBuild.functions.typed.bundlePath);
    assert.deepEqual(devBuild.changed.sort(), ["get", "list", "typed"]);
    const shared = await import(pathToFileURL(devBuild.functions.get.bundlePath).href);
    assert.deepEqual([await shared.list(), await shared.get()], ["list", "get"]);
    // A save of the shared file is new code for both of its functions, and only for them.
    app.write("src/notes.js", `export const list = async () => "list v2";\nexport const get = async () => "get";\n`);
    assert.deepEqual((await dev.build(fns)).changed.sort(), ["get", "list"]);

    const productionBuild = await production.build(fns);
    assert.notEqual(productionBuild.functions.list.bundlePath, productionBuild.functions.get.bundlePath);
    assert.match(productionBuild.functions.get.bundlePath, /\/get\.mjs$/);
  } finally {
    await dev.dispose();
    await production.dispose();
  }
});
