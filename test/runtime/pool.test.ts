import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { memoryLogger } from "../../src/log.js";
import { FunctionRuntime } from "../../src/runtime/function-runtime.js";
import { bundleDir, eventually, payloadOf } from "./handler-bundles.js";

// Each worker counts its own entries: `inFlight` above 1 would mean two invocations shared a worker.
const SLOW_HANDLER = `
import { threadId } from "node:worker_threads";
let inFlight = 0;
let maxInFlight = 0;
export const main = async (event) => {
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  await new Promise((resolve) => setTimeout(resolve, event.ms));
  inFlight--;
  return { threadId, maxInFlight, order: event.order };
};`;

const COUNTER_HANDLER = `
import { threadId } from "node:worker_threads";
let count = 0;
export const main = async () => ({ count: ++count, threadId });`;

/** Bursts of quick calls: the pool grows to its maximum and learns the function is quick (so it hands calls on). */
/** A handler's slow path: it waits until the test creates the gate file, so "slow" is decided by the test, not a timer. */
const GATED_HANDLER = `import { existsSync } from "node:fs";
async function passGate(file) { while (!existsSync(file)) await new Promise((r) => setTimeout(r, 5)); }`;

/**
 * Holds a gated call (see GATED_HANDLER) until opened. `whileClosed` waits for `work` with the gate shut and
 * says whether it finished before the gate had to be opened: work queued behind the gated call cannot, and
 * is let through after a bound (so a regression fails the assertion instead of hanging the suite).
 */
class SlowCallGate {
  private opened = false;

  constructor(readonly file: string) {}

  async whileClosed<T>(work: Promise<T>): Promise<{ value: T; answeredWhileClosed: boolean }> {
    let finished = false;
    const done = work.then((value) => {
      finished = true;
      return value;
    });
    const bound = new Promise<void>((resolve) => setTimeout(resolve, 20_000).unref());
    await Promise.race([done, bound]);
    const answeredWhileClosed = finished && !this.opened;
    this.open();
    return { value: await done, answeredWhileClosed };
  }

  open(): void {
    if (this.opened) return;
    this.opened = true;
    writeFileSync(this.file, "open");
  }
}

async function warmQuick(runtime: FunctionRuntime, functionId: string): Promise<void> {
  for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 20 }, () => runtime.invoke(functionId, {})));
}

describe("FunctionRuntime pools", () => {
  const bundles = bundleDir();

  before(() => {
    bundles.write("slow", SLOW_HANDLER);
    bundles.write("counter", COUNTER_HANDLER);
  });

  after(() => bundles.remove());

  it("reuses a warm worker: module state survives between invocations", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger() });
    try {
      runtime.deploy(bundles.spec("counter"));
      const results = [];
      for (let i = 0; i < 3; i++) results.push(payloadOf(await runtime.invoke("counter", {})) as { count: number });
      assert.deepEqual(
        results.map((r) => r.count),
        [1, 2, 3],
      );
      assert.equal(runtime.stats().counter.workers, 1);
    } finally {
      await runtime.close();
    }
  });

  it("grows the pool under concurrent load up to the maximum, one invocation per worker, FIFO beyond", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger(), maxWorkersPerFunction: 3 });
    try {
      runtime.deploy(bundles.spec("slow"));
      const pending = Array.from({ length: 7 }, (_, order) => runtime.invoke("slow", { ms: 150, order }));
      const during = runtime.stats().slow;
      assert.equal(during.workers, 3, "starts one worker per waiting invocation, up to the maximum");
      assert.equal(during.queued, 7);
      const results = (await Promise.all(pending)).map(payloadOf) as Array<{
        threadId: number;
        maxInFlight: number;
        order: number;
      }>;
      const threads = new Set(results.map((r) => r.threadId));
      assert.ok(threads.size > 1 && threads.size <= 3, `used ${threads.size} workers`);
      for (const r of results) assert.equal(r.maxInFlight, 1, `worker ${r.threadId} ran two invocations at once`);
      const settled = runtime.stats().slow;
      assert.equal(settled.workers, 3);
      assert.equal(settled.idle, 3);
      assert.equal(settled.busy, 0);
      assert.equal(settled.queued, 0);
    } finally {
      await runtime.close();
    }
  });

  it("serves 50 concurrent callers with at most the maximum of workers and bounded memory", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger() });
    try {
      runtime.deploy(bundles.spec("counter", { memoryMb: 1024 }));
      const rssBefore = process.memoryUsage().rss;
      let maxWorkers = 0;
      let answered = 0;
      const caller = async () => {
        for (let i = 0; i < 20; i++) {
          const outcome = await runtime.invoke("counter", { padding: "x".repeat(1_000) });
          if (outcome.ok) answered++;
          maxWorkers = Math.max(maxWorkers, runtime.stats().counter.workers);
        }
      };
      await Promise.all(Array.from({ length: 50 }, caller));
      assert.equal(answered, 1_000);
      assert.equal(maxWorkers, 4, "the pool grew to the default maximum and no further");
      const growthMb = (process.memoryUsage().rss - rssBefore) / 1e6;
      assert.ok(growthMb < 120, `four workers cost ${growthMb.toFixed(0)} MB`);
    } finally {
      await runtime.close();
    }
  });

  it("serves queued invocations in arrival order", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger(), maxWorkersPerFunction: 1 });
    try {
      runtime.deploy(bundles.spec("slow"));
      const finished: number[] = [];
      await Promise.all(
        Array.from({ length: 4 }, (_, order) =>
          runtime.invoke("slow", { ms: 20, order }).then(() => finished.push(order)),
        ),
      );
      assert.deepEqual(finished, [0, 1, 2, 3]);
    } finally {
      await runtime.close();
    }
  });

  it("prewarm imports the module before the first request", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger() });
    try {
      runtime.deploy(bundles.spec("counter"));
      assert.equal(runtime.stats().counter.workers, 0, "deploy alone starts no worker");
      await runtime.prewarm("counter");
      assert.deepEqual({ ...runtime.stats().counter, version: "" }, {
        version: "",
        workers: 1,
        busy: 0,
        idle: 1,
        starting: 0,
        queued: 0,
        lowPriority: 0,
        draining: 0,
      });
      await runtime.prewarm("counter");
      assert.equal(runtime.stats().counter.workers, 1, "a second prewarm reuses the warm worker");
      assert.deepEqual((payloadOf(await runtime.invoke("counter", {})) as { count: number }).count, 1);
    } finally {
      await runtime.close();
    }
  });

  it("reaps workers idle for longer than the TTL, and starts a fresh one when needed", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger(), idleWorkerTtlMs: 100 });
    try {
      runtime.deploy(bundles.spec("counter"));
      assert.equal((payloadOf(await runtime.invoke("counter", {})) as { count: number }).count, 1);
      await eventually(() => runtime.stats().counter.workers === 0, 5_000, "idle worker reaped");
      assert.equal((payloadOf(await runtime.invoke("counter", {})) as { count: number }).count, 1, "a cold start");
    } finally {
      await runtime.close();
    }
  });

  it("hot-swaps a version: the in-flight invocation finishes on v1, the next runs v2, v1 workers go", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger() });
    try {
      const v1 = bundles.write(
        "swap-v1",
        `export const main = async (e) => { await new Promise((r) => setTimeout(r, e.ms)); return "v1"; };`,
      );
      bundles.write("swap-v2", `export const main = async () => "v2";`);
      runtime.deploy(bundles.spec("swap-v1", { id: "swap", version: "1" }));
      const inFlight = runtime.invoke("swap", { ms: 800 });
      await eventually(() => runtime.stats().swap.busy === 1, 5_000, "v1 invocation running");
      runtime.deploy(bundles.spec("swap-v2", { id: "swap", version: "2" }));
      await runtime.prewarm("swap");
      const next = await runtime.invoke("swap", {});
      assert.deepEqual(next, { ok: true, payload: '"v2"' });
      assert.equal(runtime.stats().swap.draining, 1, "the v1 worker is still finishing");
      assert.deepEqual(await inFlight, { ok: true, payload: '"v1"' });
      await eventually(() => runtime.stats().swap.draining === 0, 5_000, "v1 worker terminated");
      assert.equal(runtime.stats().swap.version, "2");
      // Same version again is a no-op: the warm worker stays.
      runtime.deploy(bundles.spec("swap-v2", { id: "swap", version: "2", bundlePath: v1 }));
      assert.deepEqual(await runtime.invoke("swap", {}), { ok: true, payload: '"v2"' });
    } finally {
      await runtime.close();
    }
  });

  it("hands invocations queued on the old version to the new one", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger(), maxWorkersPerFunction: 1 });
    try {
      bundles.write("queue-v1", `export const main = async () => { await new Promise((r) => setTimeout(r, 200)); return "v1"; };`);
      bundles.write("queue-v2", `export const main = async () => "v2";`);
      runtime.deploy(bundles.spec("queue-v1", { id: "queue", version: "1" }));
      const first = runtime.invoke("queue", {});
      await eventually(() => runtime.stats().queue.busy === 1, 5_000, "v1 invocation running");
      const second = runtime.invoke("queue", {});
      runtime.deploy(bundles.spec("queue-v2", { id: "queue", version: "2" }));
      assert.deepEqual(await second, { ok: true, payload: '"v2"' });
      assert.deepEqual(await first, { ok: true, payload: '"v1"' });
    } finally {
      await runtime.close();
    }
  });

  it("never queues a quick call behind a slow one while another worker can take it", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger(), maxWorkersPerFunction: 2 });
    const gate = new SlowCallGate(join(bundles.dir, "mixed-gate"));
    try {
      bundles.write("mixed", `${GATED_HANDLER}\nexport const main = async (event) => { if (event.gate) await passGate(event.gate); return "done"; };`);
      runtime.deploy(bundles.spec("mixed"));
      // Warm both workers with quick calls, so the pool knows the function as a quick one.
      await Promise.all(Array.from({ length: 20 }, () => runtime.invoke("mixed", {})));
      const slow = runtime.invoke("mixed", { gate: gate.file });
      await eventually(() => runtime.stats().mixed.busy === 1, 5_000, "the slow call running");
      // The slow call holds its worker until the gate opens; quick calls that queued behind it would wait for that.
      const quick = await gate.whileClosed(Promise.all(Array.from({ length: 4 }, () => runtime.invoke("mixed", {}))));
      assert.equal(quick.answeredWhileClosed, true, "the quick calls were answered while the slow call still held its worker");
      assert.deepEqual(await slow, { ok: true, payload: '"done"' });
    } finally {
      gate.open();
      await runtime.close();
    }
  });

  it("runs quick calls handed on behind a call that turns slow on another worker within milliseconds", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger(), maxWorkersPerFunction: 2 });
    const gate = new SlowCallGate(join(bundles.dir, "turns-slow-gate"));
    try {
      bundles.write(
        "turns-slow",
        `import { threadId } from "node:worker_threads";
${GATED_HANDLER}
export const main = async (event) => { if (event.gate) await passGate(event.gate); return threadId; };`,
      );
      runtime.deploy(bundles.spec("turns-slow"));
      await warmQuick(runtime, "turns-slow");
      assert.equal(runtime.stats()["turns-slow"].workers, 2);
      // Dispatched in one turn, the quick calls are handed to the worker that has just started the slow one.
      const slow = runtime.invoke("turns-slow", { gate: gate.file });
      const quick = await gate.whileClosed(Promise.all(Array.from({ length: 6 }, () => runtime.invoke("turns-slow", {}).then(payloadOf))));
      assert.equal(quick.answeredWhileClosed, true, "the quick calls were answered while the slow call still held its worker");
      const slowThread = payloadOf(await slow);
      assert.ok(
        quick.value.every((thread) => thread !== slowThread),
        "every quick call ran on the other worker",
      );
    } finally {
      gate.open();
      await runtime.close();
    }
  });

  it("runs every quick call handed on behind a call that kills its worker, elsewhere, once", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger(), maxWorkersPerFunction: 3 });
    try {
      bundles.write(
        "kills-worker",
        `export const main = async (event, context) => { if (event.exit) process.exit(7); return context.awsRequestId; };`,
      );
      runtime.deploy(bundles.spec("kills-worker"));
      await warmQuick(runtime, "kills-worker");
      const exiting = runtime.invoke("kills-worker", { exit: true });
      const ids = Array.from({ length: 8 }, (_, i) => `behind-${i}`);
      const behind = await Promise.all(ids.map((requestId) => runtime.invoke("kills-worker", {}, { requestId })));
      assert.deepEqual(behind.map(payloadOf), ids, "each answered by its own invocation");
      const fault = await exiting;
      assert.equal(fault.ok === false && fault.kind, "exited");
    } finally {
      await runtime.close();
    }
  });

  it("answers unknown and removed functions with unknown_function", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger() });
    try {
      const unknown = await runtime.invoke("nope", {});
      assert.equal(unknown.ok === false && unknown.kind, "unknown_function");
      runtime.deploy(bundles.spec("counter"));
      assert.equal((await runtime.invoke("counter", {})).ok, true);
      runtime.remove("counter");
      const removed = await runtime.invoke("counter", {});
      assert.equal(removed.ok === false && removed.kind, "unknown_function");
      assert.deepEqual(runtime.stats(), {});
    } finally {
      await runtime.close();
    }
  });

  it("close() fails in-flight invocations and terminates every worker", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger() });
    runtime.deploy(bundles.spec("slow"));
    runtime.deploy(bundles.spec("counter"));
    await runtime.invoke("counter", {});
    const inFlight = runtime.invoke("slow", { ms: 10_000, order: 0 });
    await eventually(() => runtime.stats().slow.busy === 1, 5_000, "slow invocation running");
    await runtime.close();
    const outcome = await inFlight;
    assert.equal(outcome.ok, false);
    assert.deepEqual(runtime.stats(), {});
    const after = await runtime.invoke("counter", {});
    assert.equal(after.ok === false && after.kind, "unknown_function");
  });
});
