import type { SynthContext } from "./synth-context.js";

/**
 * One SQS queue per manifest queue, with the manifest's name (`<stage>-<app>-<id>`, `.fifo` kept, as SST names
 * it; docs/aws-target.md, "Queues"). Its local ARN and URL now name the real queue.
 */
export function mapQueues(ctx: SynthContext): void {
  const { sqs } = ctx.cdk;
  for (const queue of ctx.manifest.queues) {
    const created = new sqs.Queue(ctx.stack(queue.stackId), queue.constructId, {
      queueName: queue.queueName,
      fifo: queue.queueName.endsWith(".fifo") ? true : undefined,
    });
    ctx.queues.set(queue.id, created);
    ctx.addLocalName(queue.queueArn, created.queueArn);
    ctx.addLocalName(queue.queueUrl, created.queueUrl);
  }
}

/** A queue's one consumer receives its messages through an SQS event source mapping. */
export function mapQueueConsumers(ctx: SynthContext): void {
  const { eventSources } = ctx.cdk;
  for (const queue of ctx.manifest.queues) {
    if (!queue.consumerFunctionId) continue;
    ctx.function(queue.consumerFunctionId).addEventSource(new eventSources.SqsEventSource(ctx.queue(queue.id)));
  }
}
