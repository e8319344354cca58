import type { CdkValue } from "../../manifest/cdk-code.js";
import { CDK_REFERENCE } from "../cdk/cdk-recorder.js";
import type { Manifest } from "../../manifest/manifest.js";
import type { Synthesizable } from "./app.js";
import { stackOf } from "./construct-node.js";
import { type FunctionDefinition, functionFromDefinition, unwrapFunction } from "./function-definition.js";
import type { SstFunction } from "./function.js";
import type { FunctionProps } from "./function-props.js";
import { Queue } from "./queue.js";
import { registerConstructKind } from "./registry.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

type Subscriber = FunctionDefinition | { function: FunctionDefinition; subscriberProps?: unknown } | Queue | { queue: Queue; subscriberProps?: unknown };

export interface TopicProps {
  subscribers?: Subscriber[];
  defaultFunctionProps?: FunctionProps;
  snsTopic?: unknown;
  [other: string]: unknown;
}

/**
 * SST's Topic. Locally, publishing (dev's `publish`, see docs/sst-apps.md) invokes each subscriber function in
 * process with an SNS event and forwards the message to subscribed queues.
 */
export class Topic implements Synthesizable {
  readonly stack: Stack;
  readonly id: string;
  readonly manifestId: string;

  /** How recorded CDK code refers to it (app/cdk/cdk-recorder.ts): a target makes it itself. */
  [CDK_REFERENCE](): CdkValue {
    return { sst: { kind: "topic", id: this.manifestId } };
  }
  readonly topicName: string;
  readonly topicArn: string;
  readonly subscriberFunctions: SstFunction[] = [];
  private readonly subscriberQueues: Queue[] = [];
  private readonly props: TopicProps;
  private readonly location: string | null;

  constructor(scope: Stack, id: string, props: TopicProps = {}) {
    scope = stackOf<Stack>(scope) ?? scope;
    this.stack = scope;
    this.id = id;
    this.props = props;
    this.manifestId = `${scope.id}/${id}`;
    this.location = callerLocation(scope.app.root);
    this.topicName = scope.app.logicalPrefixedName(id);
    this.topicArn = `arn:aws:sns:${scope.region}:${scope.account}:${this.topicName}`;
    scope.app.members.push(this);
    this.addSubscribers(scope, props.subscribers ?? []);
  }

  /** CDK's `sns.Topic`, as much of it as stacks read. */
  get snsTopic(): { topicArn: string; topicName: string } {
    return { topicArn: this.topicArn, topicName: this.topicName };
  }

  addSubscribers(scope: Stack, subscribers: Subscriber[]): void {
    for (const subscriber of subscribers) {
      const queue = subscriber instanceof Queue ? subscriber : (subscriber as { queue?: Queue })?.queue;
      if (queue instanceof Queue) {
        this.subscriberQueues.push(queue);
        continue;
      }
      const index = this.subscriberFunctions.length;
      const fn = functionFromDefinition(scope, `${this.id}_Subscriber_${index}`, unwrapFunction(subscriber) as FunctionDefinition, {
        defaults: this.props.defaultFunctionProps,
        owner: { kind: "sst.Topic", id: this.manifestId, stackId: this.stack.id },
        context: `Topic "${this.id}" subscriber ${index}`,
        location: this.location,
      });
      this.subscriberFunctions.push(fn);
    }
  }

  attachPermissions(permissions: unknown): void {
    for (const fn of this.subscriberFunctions) fn.attachPermissions(permissions);
  }

  /** SST's subscribers are positional. */
  attachPermissionsToSubscriber(index: number, permissions: unknown): void {
    this.subscriberFunctions[index]?.attachPermissions(permissions);
  }

  contribute(manifest: Manifest): void {
    manifest.topics.push({
      id: this.manifestId,
      constructId: this.id,
      stackId: this.stack.id,
      topicName: this.topicName,
      topicArn: this.topicArn,
      subscriberFunctionIds: this.subscriberFunctions.map((fn) => fn.manifestId),
      subscriberQueueIds: this.subscriberQueues.map((queue) => queue.manifestId),
    });
  }
}

registerConstructKind({ kind: "sst.Topic", exportName: "Topic", construct: Topic });
