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
  /**
   * When each invocation started, by the worker's clock (the log line itself may reach the main thread later),
   * and when its client got the answer: both epoch milliseconds at sub-millisecond resolution
   * (performance.timeOrigin + performance.now()), since whole milliseconds cannot order events this close.
   */
  const startedAt = new Map<string, number>();
  const answeredAt = new Map<string, number>();
  const logger: Logger = {
    info: (line) => {
      const started = / (\S+) INFO started ([\d.]+)$/.exec(line);
      if (started) startedAt.set(started[1], Number(started[2]));
    },
    warn: () => {},
    error: () => {},
  };
  let runtime: FunctionRuntime;
  let gateway: Gateway;
  let url: string;

  before(async () => {
    bundles.write("never", `export const main = async () => { console.log("started", performance.timeOrigin + performance.now()); return new Promise(() => {}); };`);
    bundles.write("public", `export const main = async () => ({ statusCode: 200, body: "public" });`);
    runtime = new FunctionRuntime({ logger, maxWorkersPerFunction: 2, maxQueuedPerFunction: 200 });
    // The function's own timeout frees its workers long after the integration timeout answered for every
    // request (all are sent well within it), so whatever starts then was queued and must have been withdrawn.
    runtime.deploy(bundles.spec("never", { timeoutMs: 2_000 }));
    runtime.deploy(bundles.spec("public"));
    await Promise.all([runtime.prewarm("never"), runtime.prewarm("public")]);
    gateway = createGateway({
      api: api([route("GET /never", "never"), route("GET /public", "public")]),
      invoker: runtime,
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
        const id = res.headers.get("apigw-requestid")!;
        answeredAt.set(id, performance.timeOrigin + performance.now());
        return { status: res.status, body: await res.text(), id };
      }),
    );
    for (const reply of replies) assert.deepEqual([reply.status, reply.body], [503, '{"message":"Service Unavailable"}']);
    // Long enough for every worker to time out (2 s) and be replaced: a queued invocation would run now.
    await eventually(() => {
      const stats = runtime.stats().never;
      return stats.queued === 0 && stats.busy === 0;
    }, 10_000, "the function to have nothing queued or running");
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The first invocations did start (two workers): the check below is not vacuous.
    assert.ok(startedAt.size >= 2, `${startedAt.size} invocations were seen starting`);
    assert.ok(startedAt.size < 150, `${startedAt.size} of 150 ran: the queued ones must have been withdrawn`);
    for (const [id, started] of startedAt) {
      const answered = answeredAt.get(id);
      assert.ok(answered === undefined || started <= answered, `${id} started ${started - (answered ?? 0)} ms after its client was answered`);
    }
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
