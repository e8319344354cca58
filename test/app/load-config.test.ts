import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../src/app/load-config.js";
import { isGatehouseError } from "../../src/errors.js";
import { tempApp } from "../support/temp-app.js";

const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups) cleanup();
});

const MAIN = "export default function main(app) {}\n";

function appWith(files: Record<string, string>, sstJson: Record<string, unknown> = { name: "entry-app" }) {
  const app = tempApp({ "sst.json": JSON.stringify(sstJson), ...files });
  cleanups.push(app.remove);
  return app;
}

function entryError(root: string): { code: string; message: string } {
  try {
    loadConfig(root);
  } catch (err) {
    assert.ok(isGatehouseError(err), `expected a GatehouseError, got ${err}`);
    return err;
  }
  assert.fail("expected loadConfig to refuse the app");
}

describe("the stacks entry, as SST 0.x resolves it", () => {
  test("without main, lib/index.ts wins over lib/index.js, which wins over stacks/", () => {
    const app = appWith({ "lib/index.ts": MAIN, "lib/index.js": MAIN, "stacks/index.js": MAIN });
    assert.equal(loadConfig(app.root).main, `${app.root}/lib/index.ts`);
    const js = appWith({ "lib/index.js": MAIN, "stacks/index.ts": MAIN });
    assert.equal(loadConfig(js.root).main, `${js.root}/lib/index.js`);
  });

  test("without main or lib/, stacks/index is used (the walkthrough and later templates)", () => {
    const app = appWith({ "stacks/index.ts": MAIN, "stacks/index.js": MAIN });
    assert.equal(loadConfig(app.root).main, `${app.root}/stacks/index.ts`);
  });

  test("main wins over every default", () => {
    const app = appWith({ "lib/index.ts": MAIN, "infra/app.js": MAIN }, { name: "entry-app", main: "infra/app.js" });
    assert.equal(loadConfig(app.root).main, `${app.root}/infra/app.js`);
  });

  test("no entry: the error names every path searched, lib/ first", () => {
    const app = appWith({ "src/lambda.js": MAIN });
    const err = entryError(app.root);
    assert.equal(err.code, "GH_ERR_STACKS_ENTRY_NOT_FOUND");
    for (const path of ["lib/index.ts", "lib/index.js", "stacks/index.ts", "stacks/index.js"]) {
      assert.ok(err.message.includes(path), `${path} is not named in: ${err.message}`);
    }
    assert.ok(err.message.indexOf("lib/index.ts") < err.message.indexOf("stacks/index.ts"));
  });

  test("a main that does not exist is named, and the defaults are not tried", () => {
    const app = appWith({ "lib/index.js": MAIN }, { name: "entry-app", main: "stacks/index.ts" });
    const err = entryError(app.root);
    assert.equal(err.code, "GH_ERR_STACKS_ENTRY_NOT_FOUND");
    assert.ok(err.message.includes("stacks/index.ts"));
    assert.ok(!err.message.includes("lib/index.js"));
  });
});

describe("sst.json keys beside the entry", () => {
  test("the stage comes from --stage, then sst.json, then .sst/stage, then dev", () => {
    const saved = appWith({ "lib/index.js": MAIN, ".sst/stage": "alice\n" });
    assert.equal(loadConfig(saved.root).stage, "alice");
    assert.equal(loadConfig(saved.root, { stage: "ci" }).stage, "ci");
    const pinned = appWith({ "lib/index.js": MAIN, ".sst/stage": "alice\n" }, { name: "entry-app", stage: "dev" });
    assert.equal(loadConfig(pinned.root).stage, "dev");
    assert.equal(loadConfig(appWith({ "lib/index.js": MAIN }).root).stage, "dev");
  });

  test("esbuildConfig must name an existing file", () => {
    const app = appWith({ "lib/index.js": MAIN }, { name: "entry-app", esbuildConfig: "esbuild.js" });
    const err = entryError(app.root);
    assert.equal(err.code, "GH_ERR_CONFIG_INVALID");
    app.write("esbuild.js", "module.exports = { plugins: [] };\n");
    assert.equal(loadConfig(app.root).esbuildConfig, `${app.root}/esbuild.js`);
  });
});
