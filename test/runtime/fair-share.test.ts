import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { memoryLogger } from "../../src/log.js";
import { FunctionRuntime } from "../../src/runtime/function-runtime.js";
import { bundleDir, eventually, payloadOf } from "./handler-bundles.js";

/** A faulty function cannot take more than its share of the process (docs/runtime.md, "Fair sharing"). */
describe("fair sharing between functions", () => {
  const bundles = bundleDir();
  const runtime = new FunctionRuntime({
    logger: memoryLogger(),
    slowInvocationMs: 100,
    maxWorkersPerFunction: 4,
    restartBackoff: { initialMs: 1, maxMs: 20 },
  });

  before(async () => {
    bundles.write("loop", `export function main() { for (;;) {} }`);
    bundles.write("wait", `export const main = () => new Promise((resolve) => setTimeout(() => resolve("waited"), 600));`);
    bundles.write("crash", `export const main = async (e) => { if (e.ok) return "fine"; process.exit(1); };`);
    bundles.write("throw", `export const main = async () => { throw new Error("always"); };`);
    bundles.write("public", `export const main = async () => "public";`);
    runtime.deploy(bundles.spec("loop", { timeoutMs: 60_000 }));
    runtime.deploy(bundles.spec("wait"));
    runtime.deploy(bundles.spec("crash"));
    runtime.deploy(bundles.spec("throw"));
    runtime.deploy(bundles.spec("public"));
    await runtime.prewarm("public");
  });
  after(async () => {
    await runtime.close();
    bundles.remove();
  });

  it("a busy loop loses its CPU priority; a handler that only waits keeps it", async () => {
    const looping = runtime.invoke("loop", {});
    const waiting = runtime.invoke("wait", {});
    await eventually(() => runtime.stats().loop.lowPriority === 1, 10_000, "the looping worker to be deprioritized");
    assert.equal(payloadOf(await waiting), "waited");
    assert.equal(runtime.stats().wait.lowPriority, 0, "waiting is not spinning");
    assert.equal(payloadOf(await runtime.invoke("public", {})), "public");
    assert.equal(runtime.stats().public.lowPriority, 0);
    void looping;
  });

  it("a function that keeps crashing is held to one worker, at low priority", async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => runtime.invoke("crash", {})));
    assert.ok(outcomes.every((outcome) => !outcome.ok && outcome.kind === "exited"));
    const stats = runtime.stats().crash;
    assert.ok(stats.workers <= 1, `${stats.workers} workers`);
    assert.equal(stats.lowPriority, stats.workers, "a replacement starts at low priority");
    // It recovers once an invocation answers: the next ones get its full concurrency again.
    assert.equal(payloadOf(await runtime.invoke("crash", { ok: true })), "fine");
    await Promise.all(Array.from({ length: 3 }, () => runtime.invoke("crash", { ok: true })));
  });

  it("a function that only answers with errors is deprioritized, not capped", async () => {
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => runtime.invoke("throw", {})));
    assert.ok(outcomes.every((outcome) => !outcome.ok && outcome.kind === "handler_error"));
    await eventually(() => runtime.stats().throw.lowPriority === runtime.stats().throw.workers, 5_000, "its workers at low priority");
    assert.equal(payloadOf(await runtime.invoke("public", {})), "public");
  });
});
