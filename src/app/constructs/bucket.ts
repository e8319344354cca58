import type { Manifest } from "../../manifest/manifest.js";
import { unemulatedToken } from "../../manifest/tokens.js";
import type { Synthesizable } from "./app.js";
import { stackOf } from "./construct-node.js";
import { type FunctionDefinition, functionFromDefinition, unwrapFunction } from "./function-definition.js";
import type { SstFunction } from "./function.js";
import { registerConstructKind } from "./registry.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

export interface BucketProps {
  notifications?: unknown[];
  s3Bucket?: unknown;
  [other: string]: unknown;
}

/**
 * SST's Bucket. No S3-compatible store runs locally, so the bucket is recorded as not emulated (one notice); its
 * notification functions are still built and listed, and its name and ARN read as tokens (docs/sst-apps.md).
 */
export class Bucket implements Synthesizable {
  readonly stack: Stack;
  readonly id: string;
  readonly manifestId: string;
  readonly notificationFunctions: SstFunction[] = [];

  constructor(scope: Stack, id: string, props: BucketProps = {}) {
    scope = stackOf<Stack>(scope) ?? scope;
    this.stack = scope;
    this.id = id;
    this.manifestId = `${scope.id}/${id}`;
    const location = callerLocation(scope.app.root);
    scope.app.recordUnemulated({ kind: "sst.Bucket", id, stackId: scope.id, location });
    (props.notifications ?? []).forEach((notification, index) => {
      const definition = unwrapFunction(notification) as FunctionDefinition;
      // Queue and Topic notifications are constructs of their own, not functions.
      if (definition && typeof definition === "object" && ("queueArn" in definition || "topicArn" in definition)) return;
      this.notificationFunctions.push(
        functionFromDefinition(scope, `${id}_Notification_${index}`, definition, {
          owner: { kind: "sst.Bucket", id: this.manifestId, stackId: scope.id },
          context: `Bucket "${id}" notification ${index}`,
          location,
        }),
      );
    });
    scope.app.members.push(this);
  }

  /** CFN-generated in the cloud, so unknown here. */
  get bucketName(): string {
    return unemulatedToken(`${this.manifestId}.bucketName`);
  }

  get bucketArn(): string {
    return unemulatedToken(`${this.manifestId}.bucketArn`);
  }

  get s3Bucket(): { bucketName: string; bucketArn: string } {
    return { bucketName: this.bucketName, bucketArn: this.bucketArn };
  }

  attachPermissions(permissions: unknown): void {
    for (const fn of this.notificationFunctions) fn.attachPermissions(permissions);
  }

  contribute(_manifest: Manifest): void {}
}

registerConstructKind({ kind: "sst.Bucket", exportName: "Bucket", construct: Bucket });
