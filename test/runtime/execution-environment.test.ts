import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { memoryLogger } from "../../src/log.js";
import {
  type Dispatched,
  type EnvironmentEvents,
  ExecutionEnvironment,
  HOLD_LIMIT_MS,
} from "../../src/runtime/execution-environment.js";
import { DEFAULT_LOG_LIMITS, FunctionLog } from "../../src/runtime/function-log.js";
import { Withdrawal } from "../../src/gateway/withdrawal.js";
import type { InvocationSignal, InvokeOutcome } from "../../src/runtime/types.js";
import { bundleDir, eventually } from "./handler-bundles.js";

// Each invocation records its id in the worker, so a second run of the same invocation would show.
const RECORDING_HANDLER = `
const seen = [];
export const main = async (event, context) => {
  seen.push(context.awsRequestId);
  if (event.exit) process.exit(3);
  if (event.spin) for (const end = Date.now() + event.spin; Date.now() < end; );
  if (event.ms) await new Promise((resolve) => setTimeout(resolve, event.ms));
  return { id: context.awsRequestId, seen: [...seen] };
};`;

/** An environment whose events are recorded, with helpers to hand it invocations. */
function recordedEnvironment(spec: ReturnType<ReturnType<typeof bundleDir>["spec"]>) {
  const events: string[] = [];
  const takenBack: Dispatched[] = [];
  let ready!: { resolve: () => void; reject: (err: Error) => void };
  const isReady = new Promise<void>((resolve, reject) => {
    ready = { resolve, reject };
  });
  const listener: EnvironmentEvents = {
    ready: () => {
      events.push("ready");
      ready.resolve();
    },
    initFailed: (_env, message) => {
      events.push(`initFailed ${message}`);
      ready.reject(new Error(message));
    },
    done: () => events.push("done"),
    withdrew: () => events.push("withdrew"),
    died: () => events.push("died"),
    idleExpired: () => events.push("idleExpired"),
    tookBack: (_env, invocations) => {
      events.push(`tookBack ${invocations.map((i) => i.requestId).join(",")}`);
      takenBack.push(...invocations);
    },
  };
  const log = new FunctionLog({ functionId: spec.id, handler: spec.handler, logger: memoryLogger(), limits: DEFAULT_LOG_LIMITS });
  const env = new ExecutionEnvironment({ spec, log, idleTtlMs: 60_000, lowPriority: false, events: listener });
  const outcomes = new Map<string, InvokeOutcome>();
  return {
    env,
    events,
    takenBack,
    outcomes,
    ready: isReady,
    run(requestId: string, event: unknown, signal?: InvocationSignal) {
      env.run(requestId, JSON.stringify(event), (outcome) => outcomes.set(requestId, outcome), signal);
    },
    /** Runs one more invocation ("next"), which answers with every invocation this worker has run. */
    async whatRan(): Promise<string[]> {
      env.run("next", "{}", (outcome) => outcomes.set("next", outcome));
      await eventually(() => outcomes.has("next"), 5_000, "the next answer");
      const next = outcomes.get("next");
      assert.ok(next?.ok);
      return JSON.parse(next.payload).seen;
    },
  };
}

describe("ExecutionEnvironment: invocations handed to a busy worker ahead of time", () => {
  const bundles = bundleDir();
  before(() => bundles.write("recording", RECORDING_HANDLER));
  after(() => bundles.remove());

  it("an invocation posted to an idle worker and withdrawn before the worker starts it never runs; the next one does", async () => {
    const subject = recordedEnvironment(bundles.spec("recording"));
    try {
      await subject.ready;
      const gone = new Withdrawal();
      subject.run("gone", {}, gone);
      // The caller gives up in the same turn: the message may be on its way to the worker, but it has not started.
      gone.abort();
      assert.equal(subject.outcomes.get("gone")?.ok, false);
      assert.equal((subject.outcomes.get("gone") as { kind: string }).kind, "withdrawn");
      assert.deepEqual(subject.events, ["ready", "withdrew"]);
      assert.equal(subject.env.backlog, 0);
      assert.deepEqual(await subject.whatRan(), ["next"], "the withdrawn invocation never ran");
    } finally {
      await subject.env.kill();
    }
  });

  it("withdrawn while waiting behind a running one: taken back there too; the running one is answered", async () => {
    const subject = recordedEnvironment(bundles.spec("recording"));
    try {
      await subject.ready;
      const gone = new Withdrawal();
      subject.run("running", { ms: 100 });
      subject.run("gone", {}, gone);
      gone.abort();
      assert.equal((subject.outcomes.get("gone") as { kind: string } | undefined)?.kind, "withdrawn");
      await eventually(() => subject.outcomes.has("running"), 5_000, "the running answer");
      assert.deepEqual(await subject.whatRan(), ["running", "next"]);
    } finally {
      await subject.env.kill();
    }
  });

  it("runs them one at a time, in order, each once", async () => {
    const subject = recordedEnvironment(bundles.spec("recording"));
    try {
      await subject.ready;
      for (const id of ["a", "b", "c"]) subject.run(id, {});
      await eventually(() => subject.outcomes.size === 3, 5_000, `three answers ${subject.events}`);
      const c = subject.outcomes.get("c");
      assert.ok(c?.ok);
      assert.deepEqual(JSON.parse(c.payload).seen, ["a", "b", "c"]);
      assert.deepEqual(subject.takenBack, []);
    } finally {
      await subject.env.kill();
    }
  });

  it("answers each one as it finishes, even while the next one runs a long synchronous stretch", async () => {
    const subject = recordedEnvironment(bundles.spec("recording"));
    try {
      await subject.ready;
      subject.run("quick", {});
      subject.run("spins", { spin: 1500 });
      await eventually(() => subject.outcomes.has("quick"), 700, "the quick answer, before the spin ends");
      assert.equal(subject.outcomes.get("quick")?.ok, true);
      assert.equal(subject.outcomes.has("spins"), false);
      await eventually(() => subject.outcomes.has("spins"), 5_000, "the spinning answer");
    } finally {
      await subject.env.kill();
    }
  });

  it(`takes back the ones still waiting once the running one has held them for ${HOLD_LIMIT_MS} ms; they never run there`, async () => {
    const subject = recordedEnvironment(bundles.spec("recording"));
    try {
      await subject.ready;
      subject.run("slow", { ms: 400 });
      subject.run("w1", {});
      subject.run("w2", {});
      await eventually(() => subject.takenBack.length === 2, 2_000, "the waiting invocations taken back");
      assert.deepEqual(
        subject.takenBack.map((i) => i.requestId),
        ["w1", "w2"],
      );
      assert.equal(subject.env.backlog, 1, "only the running invocation stays");
      await eventually(() => subject.outcomes.has("slow"), 5_000, "the slow answer");
      // The next invocation on this worker shows what it ran: the slow one, never the two taken back.
      assert.deepEqual(await subject.whatRan(), ["slow", "next"]);
      assert.equal(subject.outcomes.has("w1") || subject.outcomes.has("w2"), false);
    } finally {
      await subject.env.kill();
    }
  });

  it("when the worker exits, the running invocation gets the fault and the waiting ones are kept to run elsewhere", async () => {
    const subject = recordedEnvironment(bundles.spec("recording"));
    try {
      await subject.ready;
      subject.run("exits", { exit: true });
      subject.run("w1", {});
      await eventually(() => subject.events.includes("died"), 5_000, "the worker's death");
      const fault = subject.outcomes.get("exits");
      assert.equal(fault?.ok === false && fault.kind, "exited");
      assert.equal(subject.outcomes.has("w1"), false);
      assert.deepEqual(
        subject.env.takeUnstarted().map((i) => i.requestId),
        ["w1"],
      );
    } finally {
      await subject.env.kill();
    }
  });
});
