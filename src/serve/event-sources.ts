import { createHash, randomUUID } from "node:crypto";
import { GatehouseError } from "../errors.js";
import type { Logger } from "../log.js";
import { LOCAL_ACCOUNT_ID, type CronManifest, type Manifest, type QueueManifest, type TopicManifest } from "../manifest/manifest.js";
import { nextFire, parseSchedule } from "../manifest/schedule-expression.js";
import type { InvokeOutcome, Invoker } from "../runtime/types.js";
import { type Clock, systemClock } from "./clock.js";

export interface EventSourcesOptions {
  invoker: Invoker;
  logger: Logger;
  clock?: Clock;
}

interface ScheduledCron {
  cron: CronManifest;
  startMs: number;
  timer: unknown;
}

/**
 * The stage's topics, queues and crons, run in process (docs/sst-apps.md, "Topics, queues and crons"): a publish
 * invokes each subscriber with an SNS event and forwards to subscribed queues; a message sent to a queue invokes
 * its consumer with an SQS event; a cron invokes its job with a scheduled event whenever its schedule fires on the
 * clock. Invocations are asynchronous, as those services make them: failures are logged, not returned to a caller.
 */
export class EventSources {
  private readonly clock: Clock;
  private manifest: Manifest | null = null;
  private readonly crons = new Map<string, ScheduledCron>();
  private closed = false;

  constructor(private readonly options: EventSourcesOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Moves to a new manifest: crons whose schedule and job are unchanged keep their timing. */
  apply(manifest: Manifest): void {
    this.manifest = manifest;
    const live = new Map(manifest.crons.map((cron) => [cron.id, cron]));
    for (const [id, scheduled] of this.crons) {
      const next = live.get(id);
      if (next && next.schedule === scheduled.cron.schedule && next.jobFunctionId === scheduled.cron.jobFunctionId) continue;
      this.clock.clearTimer(scheduled.timer);
      this.crons.delete(id);
    }
    for (const cron of manifest.crons) {
      if (this.crons.has(cron.id)) continue;
      const scheduled: ScheduledCron = { cron, startMs: this.clock.now(), timer: null };
      this.crons.set(cron.id, scheduled);
      this.schedule(scheduled);
    }
  }

  /** Publishes to a topic named by manifest id, construct id, topic name or ARN; resolves once subscribers answered. */
  async publish(topicName: string, message: string, options: { subject?: string } = {}): Promise<InvokeOutcome[]> {
    const topic = this.find(this.manifest?.topics ?? [], topicName, (t) => [t.topicName, t.topicArn], "topic");
    const messageId = randomUUID();
    const timestamp = new Date(this.clock.now()).toISOString();
    const sns = {
      Type: "Notification",
      MessageId: messageId,
      TopicArn: topic.topicArn,
      Subject: options.subject ?? null,
      Message: message,
      Timestamp: timestamp,
      SignatureVersion: "1",
      Signature: "",
      SigningCertUrl: "",
      UnsubscribeUrl: "",
      MessageAttributes: {},
    };
    const invocations = topic.subscriberFunctionIds.map((functionId) =>
      this.run(functionId, `Topic "${topic.constructId}"`, {
        Records: [
          { EventSource: "aws:sns", EventVersion: "1.0", EventSubscriptionArn: `${topic.topicArn}:${createHash("sha256").update(functionId).digest("hex").slice(0, 36)}`, Sns: sns },
        ],
      }),
    );
    for (const queueId of topic.subscriberQueueIds) {
      // SNS delivers to SQS the notification itself, as JSON, unless raw delivery is set.
      invocations.push(this.sendMessage(queueId, JSON.stringify(sns)).then((outcome) => outcome ?? { ok: true, payload: "null" }));
    }
    return Promise.all(invocations);
  }

  /** Sends one message to a queue; resolves with its consumer's outcome (null when it has none). */
  async sendMessage(queueName: string, body: string): Promise<InvokeOutcome | null> {
    const queue = this.find(this.manifest?.queues ?? [], queueName, (q) => [q.queueName, q.queueArn, q.queueUrl], "queue");
    if (!queue.consumerFunctionId) {
      this.options.logger.warn(`Queue "${queue.constructId}" has no consumer; the message is dropped.`);
      return null;
    }
    const now = String(this.clock.now());
    return this.run(queue.consumerFunctionId, `Queue "${queue.constructId}"`, {
      Records: [
        {
          messageId: randomUUID(),
          receiptHandle: randomUUID(),
          body,
          attributes: { ApproximateReceiveCount: "1", SentTimestamp: now, SenderId: LOCAL_ACCOUNT_ID, ApproximateFirstReceiveTimestamp: now },
          messageAttributes: {},
          md5OfBody: createHash("md5").update(body).digest("hex"),
          eventSource: "aws:sqs",
          eventSourceARN: queue.queueArn,
          awsRegion: this.manifest?.app.region ?? "us-east-1",
        },
      ],
    });
  }

  /** Runs a cron's job now, as its schedule would. */
  runCron(cronName: string): Promise<InvokeOutcome> {
    const cron = this.find(this.manifest?.crons ?? [], cronName, () => [], "cron");
    return this.run(cron.jobFunctionId, `Cron "${cron.constructId}"`, {
      version: "0",
      id: randomUUID(),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: LOCAL_ACCOUNT_ID,
      time: new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: this.manifest?.app.region ?? "us-east-1",
      resources: [cron.ruleArn],
      detail: {},
    });
  }

  close(): void {
    this.closed = true;
    for (const scheduled of this.crons.values()) this.clock.clearTimer(scheduled.timer);
    this.crons.clear();
  }

  private schedule(scheduled: ScheduledCron): void {
    const parsed = parseSchedule(scheduled.cron.schedule);
    if (!parsed.ok) return;
    const now = this.clock.now();
    const at = nextFire(parsed.schedule, now, scheduled.startMs);
    if (at === null) return;
    scheduled.timer = this.clock.setTimer(() => {
      if (this.closed || this.crons.get(scheduled.cron.id) !== scheduled) return;
      // A long wait is taken in steps; fire only once the moment has come.
      if (this.clock.now() >= at) void this.runCron(scheduled.cron.id);
      this.schedule(scheduled);
    }, at - now);
  }

  private async run(functionId: string, source: string, event: unknown): Promise<InvokeOutcome> {
    const outcome = await this.options.invoker.invoke(functionId, event);
    if (!outcome.ok) this.options.logger.warn(`${source} invoked ${functionId}: ${outcome.kind}: ${outcome.message}`);
    return outcome;
  }

  private find<T extends TopicManifest | QueueManifest | CronManifest>(list: T[], name: string, aliases: (item: T) => string[], what: string): T {
    const found = list.find((item) => item.id === name || item.constructId === name || aliases(item).includes(name));
    if (!found) {
      const known = list.map((item) => item.id).join(", ") || "none";
      throw new GatehouseError("GH_ERR_RESOURCE_NOT_FOUND", `No ${what} named "${name}" in this app (${what}s: ${known}).`);
    }
    return found;
  }
}
