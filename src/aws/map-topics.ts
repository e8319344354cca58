import type { SynthContext } from "./synth-context.js";

/**
 * One SNS topic per manifest topic, named as SST names it (`<stage>-<app>-<id>`; docs/aws-target.md, "Topics").
 * Its local ARN now names the real topic.
 */
export function mapTopics(ctx: SynthContext): void {
  const { sns } = ctx.cdk;
  for (const topic of ctx.manifest.topics) {
    const created = new sns.Topic(ctx.stack(topic.stackId), topic.constructId, { topicName: topic.topicName });
    ctx.topics.set(topic.id, created);
    ctx.addLocalName(topic.topicArn, created.topicArn);
  }
}

/** Subscriber functions (in SST's order) and subscribed queues receive what is published. */
export function mapTopicSubscribers(ctx: SynthContext): void {
  const { snsSubscriptions } = ctx.cdk;
  for (const topic of ctx.manifest.topics) {
    const created = ctx.topics.get(topic.id);
    if (!created) throw new Error(`internal: no topic "${topic.id}"`);
    for (const functionId of topic.subscriberFunctionIds) created.addSubscription(new snsSubscriptions.LambdaSubscription(ctx.function(functionId)));
    for (const queueId of topic.subscriberQueueIds) created.addSubscription(new snsSubscriptions.SqsSubscription(ctx.queue(queueId)));
  }
}
