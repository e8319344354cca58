import type { CdkValue } from "../../manifest/cdk-code.js";
import { CDK_REFERENCE } from "../cdk/cdk-recorder.js";
import { GatehouseError } from "../../errors.js";
import type { Manifest } from "../../manifest/manifest.js";
import type { Synthesizable } from "./app.js";
import { stackOf } from "./construct-node.js";
import { type FunctionDefinition, functionFromDefinition, unwrapFunction } from "./function-definition.js";
import type { SstFunction } from "./function.js";
import { registerConstructKind } from "./registry.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

type Consumer = FunctionDefinition | { function: FunctionDefinition; consumerProps?: unknown };

export interface QueueProps {
  consumer?: Consumer;
  sqsQueue?: { fifo?: boolean; queueName?: string; [other: string]: unknown };
  [other: string]: unknown;
}

/** SST's Queue: one consumer, invoked locally with an SQS event for each message sent (docs/sst-apps.md). */
export class Queue implements Synthesizable {
  readonly stack: Stack;
  readonly id: string;
  readonly manifestId: string;

  /** How recorded CDK code refers to it (app/cdk/cdk-recorder.ts): a target makes it itself. */
  [CDK_REFERENCE](): CdkValue {
    return { sst: { kind: "queue", id: this.manifestId } };
  }
  readonly queueName: string;
  readonly queueArn: string;
  readonly queueUrl: string;
  consumerFunction: SstFunction | undefined;
  private readonly location: string | null;

  constructor(scope: Stack, id: string, props: QueueProps = {}) {
    scope = stackOf<Stack>(scope) ?? scope;
    this.stack = scope;
    this.id = id;
    this.manifestId = `${scope.id}/${id}`;
    this.location = callerLocation(scope.app.root);
    const fifo = props.sqsQueue?.fifo === true;
    this.queueName = props.sqsQueue?.queueName ?? `${scope.app.logicalPrefixedName(id)}${fifo ? ".fifo" : ""}`;
    this.queueArn = `arn:aws:sqs:${scope.region}:${scope.account}:${this.queueName}`;
    this.queueUrl = `https://sqs.${scope.region}.amazonaws.com/${scope.account}/${this.queueName}`;
    scope.app.members.push(this);
    if (props.consumer !== undefined) this.addConsumer(scope, props.consumer);
  }

  /** CDK's `sqs.Queue`, as much of it as stacks read. */
  get sqsQueue(): { queueArn: string; queueUrl: string; queueName: string } {
    return { queueArn: this.queueArn, queueUrl: this.queueUrl, queueName: this.queueName };
  }

  addConsumer(scope: Stack, consumer: Consumer): void {
    if (this.consumerFunction) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.location ?? this.stack.id}: Queue "${this.id}" already has a consumer; a queue takes one.`);
    }
    this.consumerFunction = functionFromDefinition(scope, `${this.id}_Consumer`, unwrapFunction(consumer) as FunctionDefinition, {
      owner: { kind: "sst.Queue", id: this.manifestId, stackId: this.stack.id },
      context: `Queue "${this.id}" consumer`,
      location: this.location,
    });
  }

  attachPermissions(permissions: unknown): void {
    this.consumerFunction?.attachPermissions(permissions);
  }

  contribute(manifest: Manifest): void {
    manifest.queues.push({
      id: this.manifestId,
      constructId: this.id,
      stackId: this.stack.id,
      queueName: this.queueName,
      queueArn: this.queueArn,
      queueUrl: this.queueUrl,
      consumerFunctionId: this.consumerFunction?.manifestId ?? null,
    });
  }
}

registerConstructKind({ kind: "sst.Queue", exportName: "Queue", construct: Queue });
