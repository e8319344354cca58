import type { QueueManifest } from "../manifest/manifest.js";
import type { SynthContext } from "./synth-context.js";

/** SQS's default visibility timeout, in seconds. */
const DEFAULT_VISIBILITY_SECONDS = 30;

/**
 * One SQS queue per manifest queue, with the manifest's name (`<stage>-<app>-<id>`, `.fifo` kept, as SST names
 * it; docs/aws-target.md, "Queues"). Its local ARN and URL now name the real queue.
 */
export function mapQueues(ctx: SynthContext): void {
  const { core, sqs } = ctx.cdk;
  for (const queue of ctx.manifest.queues) {
    const visibility = visibilitySeconds(ctx, queue);
    const created = new sqs.Queue(ctx.stack(queue.stackId), queue.constructId, {
      queueName: queue.queueName,
      fifo: queue.queueName.endsWith(".fifo") ? true : undefined,
      visibilityTimeout: visibility === DEFAULT_VISIBILITY_SECONDS ? undefined : core.Duration.seconds(visibility),
    });
    ctx.queues.set(queue.id, created);
    ctx.addLocalName(queue.queueArn, created.queueArn);
    ctx.addLocalName(queue.queueUrl, created.queueUrl);
  }
}

/**
 * Lambda refuses an SQS event source whose queue hides a message for less time than the consumer may run, so
 * the visibility timeout is raised to the consumer's timeout when that is longer than SQS's default (SST left
 * the default, and such a deploy failed; docs/aws-target.md, "Tables, queues, topics, crons").
 */
function visibilitySeconds(ctx: SynthContext, queue: QueueManifest): number {
  const consumer = queue.consumerFunctionId ? ctx.manifest.functions[queue.consumerFunctionId] : undefined;
  const timeout = consumer ? Math.ceil(consumer.timeout) : 0;
  if (timeout <= DEFAULT_VISIBILITY_SECONDS) return DEFAULT_VISIBILITY_SECONDS;
  ctx.notice(`Queue "${queue.constructId}": its visibility timeout is raised to its consumer's timeout (${timeout} s) on AWS, which refuses a shorter one.`);
  return timeout;
}

/** A queue's one consumer receives its messages through an SQS event source mapping. */
export function mapQueueConsumers(ctx: SynthContext): void {
  const { eventSources } = ctx.cdk;
  for (const queue of ctx.manifest.queues) {
    if (!queue.consumerFunctionId) continue;
    ctx.function(queue.consumerFunctionId).addEventSource(new eventSources.SqsEventSource(ctx.queue(queue.id)));
  }
}
