import assert from "node:assert/strict";
import { test } from "node:test";
import { memoryLogger } from "../../src/log.js";
import { NotLocalRuntime } from "../../src/runtime/not-local-runtime.js";
import { RuntimeDispatcher } from "../../src/runtime/runtime-dispatcher.js";
import type { FunctionSpec } from "../../src/runtime/types.js";

const spec: FunctionSpec & { runtime: string } = {
  id: "s-Api-GET_lists",
  functionName: "dev-app-s-Lambda_GET_-lists",
  handler: "api/lists/main.go",
  bundlePath: "/app/api/lists/main.go",
  exportName: "handler",
  environment: {},
  region: "us-east-1",
  timeoutMs: 10_000,
  memoryMb: 1024,
  version: "none-1",
  runtime: "go1.x",
};

test("a function of a runtime not run locally answers 501 with a coded body and a log line, through the dispatcher", async () => {
  const logger = memoryLogger();
  const notLocal = new NotLocalRuntime(logger);
  const dispatcher = new RuntimeDispatcher();
  notLocal.deploy(spec);
  dispatcher.assign(spec.id, notLocal);
  const outcome = await dispatcher.invoke(spec.id, { rawPath: "/lists" });
  assert.ok(outcome.ok);
  const response = JSON.parse(outcome.payload);
  assert.equal(response.statusCode, 501);
  assert.deepEqual(JSON.parse(response.body), {
    message: "api/lists/main.go: runtime go1.x is not run locally",
    code: "GH_ERR_RUNTIME_NOT_LOCAL",
    runtime: "go1.x",
    handler: "api/lists/main.go",
  });
  assert.ok(logger.lines.some((line) => line.includes("GH_ERR_RUNTIME_NOT_LOCAL")));
  dispatcher.remove(spec.id);
  const gone = await dispatcher.invoke(spec.id, {});
  assert.ok(!gone.ok && gone.kind === "unknown_function");
});
