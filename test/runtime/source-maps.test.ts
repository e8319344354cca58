import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { FunctionBundler } from "../../src/build/function-bundler.js";
import { memoryLogger } from "../../src/log.js";
import type { FunctionManifest } from "../../src/manifest/manifest.js";
import { FunctionRuntime } from "../../src/runtime/function-runtime.js";
import { tempApp } from "../support/temp-app.js";

// Line 5 throws; line 9 logs a stack of its own.
const PRIVATE = `export async function main(event) {
  const claims = event.claims ?? {};
  const name = claims.sub;
  if (event.throw) {
    throw new Error("no such user " + name);
  }
  if (event.log) {
    const err = new TypeError("logged, not thrown");
    console.error(err);
  }
  return "fine";
}
`;

describe("stack traces name the app's source file and line, not the bundle", () => {
  const app = tempApp({ "sst.json": "{}", "src/private.js": PRIVATE });
  after(() => app.remove());

  for (const production of [false, true]) {
    it(production ? "on the host (minified bundle, linked map)" : "in dev (inline map)", async () => {
      const outDir = join(app.root, ".gatehouse", production ? "artifact/functions" : "dev/build/functions");
      const bundler = new FunctionBundler({ root: app.root, outDir, production });
      const manifest: FunctionManifest = {
        id: "Api-GET_private",
        stackId: "my-stack",
        constructId: "Lambda_GET_/private",
        handler: "src/private.main",
        entry: "src/private.js",
        exportName: "main",
        functionName: "private",
        environment: {},
        timeout: 10,
        memorySize: 128,
        runtime: "nodejs20.x",
        logRetentionDays: null,
        permissions: [],
        location: null,
      };
      const build = await bundler.build([manifest]);
      await bundler.dispose();
      const logger = memoryLogger();
      const runtime = new FunctionRuntime({ logger });
      try {
        const built = build.functions[manifest.id];
        runtime.deploy({
          id: manifest.id,
          functionName: "private",
          handler: manifest.handler,
          bundlePath: built.bundlePath,
          exportName: "main",
          environment: {},
          region: "us-east-1",
          timeoutMs: 5_000,
          memoryMb: 128,
          version: built.version,
          appRoot: app.root,
        });
        const thrown = await runtime.invoke(manifest.id, { throw: true }, { requestId: "req-throw" });
        assert.equal(thrown.ok, false);
        const invokeError = logger.lines.find((line) => line.includes("req-throw ERROR Invoke Error"));
        assert.ok(invokeError?.includes("src/private.js:5:"), invokeError);
        assert.ok(!invokeError?.includes(app.root), "paths are shown relative to the app root");
        assert.ok(!invokeError?.includes(".mjs"), "no frame names the bundle");

        assert.equal((await runtime.invoke(manifest.id, { log: true }, { requestId: "req-log" })).ok, true);
        const logged = logger.lines.find((line) => line.includes("req-log ERROR"));
        assert.ok(logged?.includes("src/private.js:8:"), logged);
        assert.ok(!logged?.includes(".mjs"), logged);
      } finally {
        await runtime.close();
      }
    });
  }
});
