import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { memoryLogger } from "../../src/log.js";
import type { Manifest } from "../../src/manifest/manifest.js";
import type { InvokeOutcome, Invoker } from "../../src/runtime/types.js";
import type { Clock } from "../../src/serve/clock.js";
import { EventSources } from "../../src/serve/event-sources.js";
import { emptyManifest } from "../support/manifests.js";

/** A clock that moves only when the test advances it, firing due timers in order. */
class ManualClock implements Clock {
  private time: number;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;
  constructor(start: number) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + delayMs, callback, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > end) break;
      this.timers.shift();
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }
}

class RecordingInvoker implements Invoker {
  readonly calls: Array<{ functionId: string; event: any }> = [];
  async invoke(functionId: string, event: unknown): Promise<InvokeOutcome> {
    this.calls.push({ functionId, event });
    return { ok: true, payload: JSON.stringify({ functionId }) };
  }
}

function manifest(partial: Partial<Manifest>): Manifest {
  return emptyManifest({ app: { name: "events", stage: "dev", region: "eu-west-1", root: "/app" }, ...partial });
}

const START = Date.parse("2022-03-10T10:00:30Z");

describe("crons on an injected clock", () => {
  test("a rate runs its job once per period, never before", async () => {
    const clock = new ManualClock(START);
    const invoker = new RecordingInvoker();
    const sources = new EventSources({ invoker, logger: memoryLogger(), clock });
    sources.apply(manifest({ crons: [{ id: "s/Tick", constructId: "Tick", stackId: "s", schedule: "rate(5 minutes)", ruleArn: "arn:aws:events:eu-west-1:123456789012:rule/dev-events-Tick", jobFunctionId: "s-Tick_Job" }] }));
    clock.advance(5 * 60_000 - 1);
    assert.equal(invoker.calls.length, 0);
    clock.advance(1);
    clock.advance(10 * 60_000);
    assert.equal(invoker.calls.length, 3);
    const event = invoker.calls[0].event;
    assert.equal(event["detail-type"], "Scheduled Event");
    assert.equal(event.source, "aws.events");
    assert.deepEqual(event.resources, ["arn:aws:events:eu-west-1:123456789012:rule/dev-events-Tick"]);
    assert.equal(event.time, "2022-03-10T10:05:30Z");
    sources.close();
    clock.advance(60 * 60_000);
    assert.equal(invoker.calls.length, 3, "no runs after close");
  });

  test("a cron expression runs at its minute; an unchanged cron keeps its timer across apply, a removed one stops", () => {
    const clock = new ManualClock(START);
    const invoker = new RecordingInvoker();
    const sources = new EventSources({ invoker, logger: memoryLogger(), clock });
    const cron = { id: "s/Nightly", constructId: "Nightly", stackId: "s", schedule: "cron(15 2 * * ? *)", ruleArn: "arn", jobFunctionId: "s-Nightly_Job" };
    sources.apply(manifest({ crons: [cron] }));
    clock.advance(Date.parse("2022-03-11T02:14:59Z") - START);
    sources.apply(manifest({ crons: [{ ...cron }] }));
    assert.equal(invoker.calls.length, 0);
    clock.advance(1000);
    assert.equal(invoker.calls.length, 1);
    sources.apply(manifest({ crons: [] }));
    clock.advance(2 * 86_400_000);
    assert.equal(invoker.calls.length, 1);
  });
});

describe("topics and queues", () => {
  const topic = { id: "s/Orders", constructId: "Orders", stackId: "s", topicName: "dev-events-Orders", topicArn: "arn:aws:sns:eu-west-1:123456789012:dev-events-Orders", subscriberFunctionIds: ["s-Orders_Subscriber_0", "s-Orders_Subscriber_1"], subscriberQueueIds: ["s/Mail"] };
  const queue = { id: "s/Mail", constructId: "Mail", stackId: "s", queueName: "dev-events-Mail", queueArn: "arn:aws:sqs:eu-west-1:123456789012:dev-events-Mail", queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/dev-events-Mail", consumerFunctionId: "s-Mail_Consumer" };

  test("publishing invokes every subscriber with an SNS event and forwards the notification to subscribed queues", async () => {
    const invoker = new RecordingInvoker();
    const sources = new EventSources({ invoker, logger: memoryLogger(), clock: new ManualClock(START) });
    sources.apply(manifest({ topics: [topic], queues: [queue] }));
    const outcomes = await sources.publish("dev-events-Orders", '{"id":1}', { subject: "order" });
    assert.equal(outcomes.length, 3);
    assert.deepEqual(invoker.calls.map((call) => call.functionId).sort(), ["s-Mail_Consumer", "s-Orders_Subscriber_0", "s-Orders_Subscriber_1"]);
    const sns = invoker.calls.find((call) => call.functionId === "s-Orders_Subscriber_0")!.event.Records[0];
    assert.equal(sns.EventSource, "aws:sns");
    assert.equal(sns.Sns.TopicArn, topic.topicArn);
    assert.equal(sns.Sns.Message, '{"id":1}');
    assert.equal(sns.Sns.Subject, "order");
    const sqs = invoker.calls.find((call) => call.functionId === "s-Mail_Consumer")!.event.Records[0];
    assert.equal(sqs.eventSource, "aws:sqs");
    assert.equal(sqs.eventSourceARN, queue.queueArn);
    assert.equal(JSON.parse(sqs.body).Message, '{"id":1}');
  });

  test("an unknown topic or queue is a coded error", async () => {
    const sources = new EventSources({ invoker: new RecordingInvoker(), logger: memoryLogger() });
    sources.apply(manifest({ topics: [topic], queues: [queue] }));
    await assert.rejects(sources.publish("Nope", "x"), (err: { code?: string }) => err.code === "GH_ERR_RESOURCE_NOT_FOUND");
    await assert.rejects(sources.sendMessage("Nope", "x"), (err: { code?: string }) => err.code === "GH_ERR_RESOURCE_NOT_FOUND");
  });
});
