import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { memoryLogger } from "../../src/log.js";
import { FunctionRuntime } from "../../src/runtime/function-runtime.js";
import type { InvokeOutcome } from "../../src/runtime/types.js";
import { bundleDir, eventually } from "./handler-bundles.js";

// Every faulty handler answers normally when the event says so, so the test can check that the same
// function recovers on a fresh worker while its module is unchanged.
const FAULTS: Record<string, string> = {
  throwing: `export const main = async (e) => { if (e.ok) return "fine"; throw new TypeError("boom " + e.n); };`,
  rejecting: `export const main = (e) => e.ok ? Promise.resolve("fine") : Promise.reject("plain reason");`,
  hanging: `export const main = async (e) => e.ok ? "fine" : new Promise(() => {});`,
  looping: `export function main(e) { if (e.ok) return "fine"; for (;;) {} }`,
  exiting: `export const main = async (e) => { if (e.ok) return "fine"; process.exit(3); };`,
  hungry: `const hoard = [];
    export const main = async (e) => {
      if (e.ok) return "fine";
      for (;;) hoard.push(new Array(100_000).fill(hoard.length));
    };`,
  "late-crash": `export const main = async (e) => {
      if (!e.ok) setTimeout(() => { throw new Error("after the response"); }, 20);
      return "fine";
    };`,
  "uncaught-during": `export const main = async (e) => {
      if (e.ok) return "fine";
      setTimeout(() => { throw new RangeError("in a timer"); }, 5);
      return new Promise(() => {});
    };`,
};

describe("FunctionRuntime faults", () => {
  const bundles = bundleDir();
  const logger = memoryLogger();
  const runtime = new FunctionRuntime({ logger });

  before(async () => {
    bundles.write("healthy", `let n = 0; export const main = async () => ({ healthy: ++n });`);
    runtime.deploy(bundles.spec("healthy"));
    for (const [name, source] of Object.entries(FAULTS)) {
      bundles.write(name, source);
      // The memory-hungry one gets time to reach its limit (collections near the limit are slow).
      const hungry = name === "hungry";
      runtime.deploy(bundles.spec(name, { timeoutMs: hungry ? 20_000 : 300, memoryMb: hungry ? 64 : 128 }));
    }
    bundles.write("syntax-error", `export const main = async () => { return "unfinished"; `);
    runtime.deploy(bundles.spec("syntax-error"));
    bundles.write("missing-export", `export const handler = async () => "wrong name";`);
    runtime.deploy(bundles.spec("missing-export"));
    await runtime.prewarm("healthy");
  });

  after(async () => {
    await runtime.close();
    bundles.remove();
  });

  /** The healthy function still answers from its warm worker, and the faulty one recovers. */
  async function assertOthersUndisturbed(faulty: string): Promise<void> {
    const healthy = await runtime.invoke("healthy", {});
    assert.equal(healthy.ok, true);
    assert.equal(runtime.stats().healthy.workers, 1, "the healthy function kept its worker");
    assert.deepEqual(await runtime.invoke(faulty, { ok: true }), { ok: true, payload: '"fine"' });
  }

  function assertFault(outcome: InvokeOutcome, kind: string, message: RegExp): void {
    assert.equal(outcome.ok, false, JSON.stringify(outcome));
    if (outcome.ok) return;
    assert.equal(outcome.kind, kind, outcome.message);
    assert.match(outcome.message, message);
  }

  it("reports a thrown error as handler_error and keeps the worker", async () => {
    await runtime.invoke("throwing", { ok: true });
    const outcome = await runtime.invoke("throwing", { n: 1 }, { requestId: "req-throw" });
    assertFault(outcome, "handler_error", /^boom 1$/);
    assert.ok(
      logger.lines.some((l) => l.startsWith("[src/throwing.main] req-throw ERROR Invoke Error") && l.includes("TypeError")),
    );
    assert.equal(runtime.stats().throwing.workers, 1, "a handler error does not cost the worker");
    await assertOthersUndisturbed("throwing");
  });

  it("reports a rejection with a non-Error reason", async () => {
    assertFault(await runtime.invoke("rejecting", {}), "handler_error", /^plain reason$/);
    await assertOthersUndisturbed("rejecting");
  });

  it("times out a hanging handler, logs it like Lambda and replaces the worker", async () => {
    // A warm worker whose previous invocation ended long ago still enforces the timeout.
    assert.deepEqual(await runtime.invoke("hanging", { ok: true }), { ok: true, payload: '"fine"' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const outcome = await runtime.invoke("hanging", {}, { requestId: "req-hang" });
    assertFault(outcome, "timeout", /^Task timed out after 0\.30 seconds$/);
    assert.ok(logger.lines.includes("[src/hanging.main] req-hang Task timed out after 0.30 seconds"));
    await eventually(() => runtime.stats().hanging.idle === 1, 5_000, "a warm replacement worker");
    await assertOthersUndisturbed("hanging");
  });

  it("times out a synchronous infinite loop by terminating its worker", async () => {
    // A loop that never ends answers at all only if its worker was stopped at the function's 0.3 s timeout.
    const outcome = await runtime.invoke("looping", {}, { requestId: "req-loop" });
    assertFault(outcome, "timeout", /^Task timed out after 0\.30 seconds$/);
    await assertOthersUndisturbed("looping");
  });

  it("reports process.exit() as exited", async () => {
    const outcome = await runtime.invoke("exiting", {}, { requestId: "req-exit" });
    assertFault(outcome, "exited", /exit status 3/);
    assert.ok(logger.lines.some((l) => l.startsWith("[src/exiting.main] req-exit Runtime exited")));
    await assertOthersUndisturbed("exiting");
  });

  it("reports running out of memory as out_of_memory", async () => {
    await runtime.invoke("hungry", { ok: true });
    const outcome = await runtime.invoke("hungry", {}, { requestId: "req-oom" });
    assertFault(outcome, "out_of_memory", /64 MB/);
    assert.ok(logger.lines.some((l) => l.startsWith("[src/hungry.main] req-oom Runtime exited with error: out of memory")));
    await assertOthersUndisturbed("hungry");
  });

  it("reports an uncaught exception during an invocation as crashed", async () => {
    const outcome = await runtime.invoke("uncaught-during", {}, { requestId: "req-uncaught" });
    assertFault(outcome, "crashed", /RangeError: in a timer/);
    await assertOthersUndisturbed("uncaught-during");
  });

  it("replaces a worker that crashes after answering, and logs it", async () => {
    const outcome = await runtime.invoke("late-crash", {}, { requestId: "req-late" });
    assert.deepEqual(outcome, { ok: true, payload: '"fine"' });
    await eventually(
      () => logger.lines.some((l) => l.startsWith("[src/late-crash.main] req-late") && l.includes("after the response")),
      5_000,
      "crash logged",
    );
    await eventually(() => runtime.stats()["late-crash"].idle === 1, 5_000, "a warm replacement worker");
    await assertOthersUndisturbed("late-crash");
  });

  it("reports a module that does not parse as handler_error naming the file", async () => {
    const outcome = await runtime.invoke("syntax-error", {}, { requestId: "req-syntax" });
    assertFault(outcome, "handler_error", /syntax-error\.mjs.*SyntaxError/);
    assert.ok(logger.lines.some((l) => l.startsWith("[src/syntax-error.main] req-syntax ERROR Init Error")));
    // Each invocation retries the import, as Lambda does, and fails the same way.
    assertFault(await runtime.invoke("syntax-error", {}), "handler_error", /SyntaxError/);
    assert.equal(runtime.stats()["syntax-error"].workers, 0);
    assert.equal((await runtime.invoke("healthy", {})).ok, true);
  });

  it("reports a missing export as handler_error naming the file and the export", async () => {
    assertFault(await runtime.invoke("missing-export", {}), "handler_error", /missing-export\.mjs.*"main"/);
  });

  it("logs an import error at prewarm instead of throwing", async () => {
    const before = logger.lines.length;
    await runtime.prewarm("syntax-error");
    assert.ok(logger.lines.slice(before).some((l) => l.includes("Init Error") && l.includes("SyntaxError")));
  });

  it("recovers once a broken module is fixed and redeployed", async () => {
    bundles.write("syntax-error", `export const main = async () => "fixed";`);
    runtime.deploy(bundles.spec("syntax-error", { version: "v2" }));
    assert.deepEqual(await runtime.invoke("syntax-error", {}), { ok: true, payload: '"fixed"' });
  });
});

describe("an invocation waiting inside a worker that dies", () => {
  const bundles = bundleDir();
  after(() => bundles.remove());

  it("runs on a fresh worker, with its own full timeout, when the one before it times out", async () => {
    const runtime = new FunctionRuntime({ logger: memoryLogger(), maxWorkersPerFunction: 1 });
    try {
      bundles.write("maybe-hang", `export const main = async (event) => { if (event.hang) await new Promise(() => {}); return "answered"; };`);
      runtime.deploy(bundles.spec("maybe-hang", { timeoutMs: 400 }));
      await runtime.prewarm("maybe-hang");
      const hanging = runtime.invoke("maybe-hang", { hang: true });
      const behind = runtime.invoke("maybe-hang", { hang: false });
      const first = await hanging;
      assert.equal(first.ok === false && first.kind, "timeout");
      assert.deepEqual(await behind, { ok: true, payload: '"answered"' });
    } finally {
      await runtime.close();
    }
  });
});
