import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createGateway, type Gateway } from "../../src/gateway/gateway.js";
import type { Logger } from "../../src/log.js";
import { FunctionRuntime } from "../../src/runtime/function-runtime.js";
import { bundleDir, eventually } from "../runtime/handler-bundles.js";
import { api, route, TokenTableAuthorizer } from "./in-process.js";

/**
 * Lambda's concurrency semantics through the gateway, with real workers: an invocation nobody waits for any
 * more never runs, and a function whose queue is full is answered at once (docs/runtime.md).
 */
describe("gateway + runtime: withdrawn and throttled invocations", () => {
  const bundles = bundleDir();
  /** The request ids whose handler ran (it logs "started" first thing). */
  const started = new Set<string>();
  /** The request ids the runtime answered as withdrawn: taken back unstarted when the gateway gave up. */
  const withdrawn = new Set<string>();
  const logger: Logger = {
    info: (line) => {
      const match = / (\S+) INFO started$/.exec(line);
      if (match) started.add(match[1]);
    },
    warn: () => {},
    error: () => {},
  };
  let runtime: FunctionRuntime;
  let gateway: Gateway;
  let url: string;

  before(async () => {
    bundles.write("never", `export const main = async () => { console.log("started"); return new Promise(() => {}); };`);
    bundles.write("public", `export const main = async () => ({ statusCode: 200, body: "public" });`);
    runtime = new FunctionRuntime({ logger, maxWorkersPerFunction: 2, maxQueuedPerFunction: 200 });
    // The function's own timeout frees its workers long after the integration timeout answered for every
    // request (all are sent well within it), so whatever starts then was queued and must have been withdrawn.
    runtime.deploy(bundles.spec("never", { timeoutMs: 2_000 }));
    runtime.deploy(bundles.spec("public"));
    await Promise.all([runtime.prewarm("never"), runtime.prewarm("public")]);
    gateway = createGateway({
      api: api([route("GET /never", "never"), route("GET /public", "public")]),
      invoker: {
        invoke: async (functionId, event, options) => {
          const outcome = await runtime.invoke(functionId, event, options);
          if (!outcome.ok && outcome.kind === "withdrawn" && options?.requestId) withdrawn.add(options.requestId);
          return outcome;
        },
      },
      authorizer: new TokenTableAuthorizer({}),
      logger,
      integrationTimeoutMs: 100,
    });
    ({ url } = await gateway.listen(0));
  });

  after(async () => {
    await gateway.close();
    await runtime.close();
    bundles.remove();
  });

  test("150 requests to a never-resolving function: none runs after its client got its answer", async () => {
    const replies = await Promise.all(
      Array.from({ length: 150 }, async () => {
        const res = await fetch(`${url}/never`);
        return { status: res.status, body: await res.text(), id: res.headers.get("apigw-requestid")! };
      }),
    );
    for (const reply of replies) assert.deepEqual([reply.status, reply.body], [503, '{"message":"Service Unavailable"}']);
    // Long enough for every worker to time out (2 s) and be replaced: an invocation not withdrawn would run now.
    await eventually(() => {
      const stats = runtime.stats().never;
      return stats.queued === 0 && stats.busy === 0;
    }, 10_000, "the function to have nothing queued or running");
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Each of the two workers started the invocation it took first, which hangs until the function's timeout,
    // long after every client was answered; anything else that ran would have started after its client got
    // its 503. Ordered by the runtime's own claim (an atomic swap), not by clocks of two threads: a handler
    // claimed just before the gateway gave up may log its first line a few ms later on a busy machine.
    assert.ok(started.size >= 1 && started.size <= 2, `${started.size} invocations ran; only the two workers' first ones may`);
    for (const id of started) assert.ok(!withdrawn.has(id), `${id} was answered as withdrawn, yet it ran`);
    const ids = replies.map((reply) => reply.id);
    assert.equal(ids.filter((id) => !started.has(id) && !withdrawn.has(id)).length, 0, "every invocation that did not run was withdrawn");
    assert.equal((await fetch(`${url}/public`)).status, 200);
  });

  test("beyond its queue a function is throttled at once with API Gateway's 503, while the others wait", async () => {
    const small = new FunctionRuntime({ logger, maxWorkersPerFunction: 1, maxQueuedPerFunction: 2 });
    bundles.write("hold", `export const main = async () => new Promise(() => {});`);
    small.deploy(bundles.spec("hold", { timeoutMs: 60_000 }));
    await small.prewarm("hold");
    const throttling = createGateway({
      api: api([route("GET /hold", "hold")]),
      invoker: small,
      authorizer: new TokenTableAuthorizer({}),
      logger,
      integrationTimeoutMs: 30_000,
    });
    const { url: holdUrl } = await throttling.listen(0);
    const controller = new AbortController();
    try {
      const pending = Array.from({ length: 8 }, () =>
        fetch(`${holdUrl}/hold`, { signal: controller.signal }).then(
          async (res) => ({ status: res.status, body: await res.text() }),
          () => null,
        ),
      );
      const answered: Array<{ status: number; body: string }> = [];
      for (const reply of pending) void reply.then((r) => r && answered.push(r));
      // One runs, two wait, five are throttled: answered while the others still wait on a 30 s timeout.
      await eventually(() => answered.length >= 5, 10_000, "five throttled answers");
      assert.equal(answered.length, 5);
      for (const reply of answered) assert.deepEqual(reply, { status: 503, body: '{"message":"Service Unavailable"}' });
      assert.equal(small.stats().hold.queued, 2);
      // The clients that wait leave: their queued invocations are withdrawn at once.
      controller.abort();
      await eventually(() => small.stats().hold.queued === 0, 5_000, "the queue to empty as its clients leave");
    } finally {
      controller.abort();
      await throttling.close();
      await small.close();
    }
  });
});
