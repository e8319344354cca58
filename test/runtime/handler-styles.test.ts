import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { memoryLogger } from "../../src/log.js";
import { FunctionRuntime } from "../../src/runtime/function-runtime.js";
import { bundleDir, eventually, payloadOf } from "./handler-bundles.js";

describe("FunctionRuntime handler styles", () => {
  const bundles = bundleDir();
  const logger = memoryLogger();
  const runtime = new FunctionRuntime({ logger });

  before(() => {
    bundles.write("async", `export const main = async (event) => ({ statusCode: 200, body: "hi " + event.name });`);
    bundles.write(
      "callback",
      `export function main(event, context, callback) { setTimeout(() => callback(null, { via: "callback", n: event.n }), 5); }`,
    );
    bundles.write("callback-error", `export function main(event, context, callback) { callback(new Error("cb failed")); }`);
    bundles.write("sync", `export function main(event) { return { via: "sync", doubled: event.n * 2 }; }`);
    bundles.write("string", `export const main = async () => "Hello from Lambda!";`);
    bundles.write("undefined", `export const main = async () => undefined;`);
    bundles.write("circular", `export const main = async () => { const a = {}; a.self = a; return a; };`);
    bundles.write(
      "legacy",
      `export function main(event, context) { context.succeed({ via: "succeed" }); }`,
    );
    // esbuild's CommonJS-to-ESM output puts module.exports under `default`.
    bundles.write(
      "cjs",
      `import { createRequire } from "module"; const require = createRequire(import.meta.url);
       const path = require("node:path");
       const exportsObject = { main: async () => ({ via: "default", sep: path.sep }) };
       export default exportsObject;`,
    );
    bundles.write(
      "context",
      `export const main = async (event, context) => {
         const first = context.getRemainingTimeInMillis();
         await new Promise((r) => setTimeout(r, 60));
         const second = context.getRemainingTimeInMillis();
         const { getRemainingTimeInMillis, done, succeed, fail, ...fields } = context;
         return { fields, first, second, legacy: [typeof done, typeof succeed, typeof fail] };
       };`,
    );
    bundles.write(
      "env",
      `export const main = async () => {
         const names = ["AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
           "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_LOG_GROUP_NAME",
           "AWS_LAMBDA_LOG_STREAM_NAME", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "_HANDLER", "NODE_ENV",
           "TABLE_NAME", "AWS_REGION_OVERRIDE_CHECK", "GATEHOUSE_TEST_SECRET", "PATH"];
         return Object.fromEntries(names.map((n) => [n, process.env[n] ?? null]));
       };`,
    );
    bundles.write(
      "logs",
      `console.log("loading");
       export const main = async (event) => {
         console.log("hello %s", event.who, { n: 1 });
         console.warn("careful");
         console.error("bad", 42);
         process.stdout.write("raw line\\n");
         return "logged";
       };`,
    );
    for (const name of [
      "async",
      "callback",
      "callback-error",
      "sync",
      "string",
      "undefined",
      "circular",
      "legacy",
      "cjs",
      "context",
      "logs",
    ]) {
      runtime.deploy(bundles.spec(name));
    }
    runtime.deploy(
      bundles.spec("env", {
        functionName: "my-app-env",
        handler: "src/env.main",
        memoryMb: 256,
        region: "eu-west-1",
        environment: { TABLE_NAME: "pets", AWS_REGION: "eu-west-1" },
      }),
    );
  });

  after(async () => {
    await runtime.close();
    bundles.remove();
  });

  it("answers with an async handler's result as JSON text", async () => {
    const outcome = await runtime.invoke("async", { name: "ada" });
    assert.deepEqual(outcome, { ok: true, payload: '{"statusCode":200,"body":"hi ada"}' });
  });

  it("answers through the callback of a callback-style handler", async () => {
    assert.deepEqual(payloadOf(await runtime.invoke("callback", { n: 3 })), { via: "callback", n: 3 });
    const failed = await runtime.invoke("callback-error", {});
    assert.deepEqual(failed, { ok: false, kind: "handler_error", message: "cb failed" });
  });

  it("answers with a synchronous handler's return value", async () => {
    assert.deepEqual(payloadOf(await runtime.invoke("sync", { n: 21 })), { via: "sync", doubled: 42 });
  });

  it("serializes like Lambda: a string stays a JSON string, undefined becomes null", async () => {
    assert.deepEqual(await runtime.invoke("string", {}), { ok: true, payload: '"Hello from Lambda!"' });
    assert.deepEqual(await runtime.invoke("undefined", {}), { ok: true, payload: "null" });
  });

  it("reports a result that JSON cannot hold as a handler error", async () => {
    const outcome = await runtime.invoke("circular", {});
    assert.equal(outcome.ok, false);
    assert.equal(outcome.ok === false && outcome.kind, "handler_error");
    assert.match(outcome.ok === false ? outcome.message : "", /circular/i);
  });

  it("supports the legacy context.succeed and exports under default", async () => {
    assert.deepEqual(payloadOf(await runtime.invoke("legacy", {})), { via: "succeed" });
    assert.deepEqual(payloadOf(await runtime.invoke("cjs", {})), { via: "default", sep: "/" });
  });

  it("passes Lambda's context, with the remaining time counting down from the timeout", async () => {
    const result = payloadOf(await runtime.invoke("context", {}, { requestId: "req-ctx-1" })) as {
      fields: Record<string, unknown>;
      first: number;
      second: number;
      legacy: string[];
    };
    assert.equal(result.fields.awsRequestId, "req-ctx-1");
    assert.equal(result.fields.functionName, "test-context");
    assert.equal(result.fields.functionVersion, "$LATEST");
    assert.equal(result.fields.invokedFunctionArn, "arn:aws:lambda:us-east-1:123456789012:function:test-context");
    assert.equal(result.fields.memoryLimitInMB, "128");
    assert.equal(result.fields.logGroupName, "/aws/lambda/test-context");
    assert.match(String(result.fields.logStreamName), /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(result.fields.callbackWaitsForEmptyEventLoop, true);
    assert.deepEqual(result.legacy, ["function", "function", "function"]);
    assert.ok(result.first <= 5_000 && result.first > 3_000, `first remaining ${result.first}`);
    assert.ok(result.second <= result.first - 50, `remaining went from ${result.first} to ${result.second}`);
  });

  it("generates a uuid request id when none is given", async () => {
    const result = payloadOf(await runtime.invoke("context", {})) as { fields: { awsRequestId: string } };
    assert.match(result.fields.awsRequestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("gives handlers Lambda's variables plus the function's own, and nothing else of this process", async () => {
    process.env.GATEHOUSE_TEST_SECRET = "do-not-leak";
    try {
      const env = payloadOf(await runtime.invoke("env", {})) as Record<string, string | null>;
      assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, "my-app-env");
      assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, "256");
      assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, "$LATEST");
      assert.equal(env.AWS_REGION, "eu-west-1");
      assert.equal(env.AWS_DEFAULT_REGION, "eu-west-1");
      assert.equal(env.AWS_EXECUTION_ENV, "AWS_Lambda_nodejs20.x");
      assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, "/aws/lambda/my-app-env");
      assert.match(String(env.AWS_LAMBDA_LOG_STREAM_NAME), /\[\$LATEST\][0-9a-f]{32}$/);
      assert.equal(env.LAMBDA_TASK_ROOT, bundles.dir);
      assert.equal(env.LAMBDA_RUNTIME_DIR, "/var/runtime");
      assert.equal(env._HANDLER, "src/env.main");
      assert.equal(env.TABLE_NAME, "pets");
      assert.equal(env.NODE_ENV, null);
      assert.equal(env.GATEHOUSE_TEST_SECRET, null);
      assert.equal(env.PATH, process.env.PATH ?? null);
    } finally {
      delete process.env.GATEHOUSE_TEST_SECRET;
    }
  });

  it("routes console output to the logger, one tagged line per call, and raw stdout too", async () => {
    const outcome = await runtime.invoke("logs", { who: "world" }, { requestId: "req-logs-1" });
    assert.deepEqual(outcome, { ok: true, payload: '"logged"' });
    assert.ok(logger.lines.includes("[src/logs.main] req-logs-1 INFO hello world { n: 1 }"), logger.lines.join("\n"));
    assert.ok(logger.lines.includes("[src/logs.main] req-logs-1 WARN careful"));
    assert.ok(logger.lines.includes("[src/logs.main] req-logs-1 ERROR bad 42"));
    assert.ok(logger.lines.includes("[src/logs.main] INFO loading"), "import-time lines carry no request id");
    await eventually(() => logger.lines.includes("[src/logs.main] raw line"), 5_000, "raw stdout line");
  });
});
