import { randomBytes } from "node:crypto";
import type { StreamViewType } from "../manifest/manifest.js";

/** An item in DynamoDB's attribute-value JSON (`{ id: { S: "1" } }`). */
export type AttributeMap = Record<string, unknown>;

/** One record of a DynamoDB stream as Lambda hands it to a consumer (docs/tables.md, "Streams"). */
export interface StreamRecord {
  eventID: string;
  eventName: "INSERT" | "MODIFY" | "REMOVE";
  eventVersion: "1.1";
  eventSource: "aws:dynamodb";
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: AttributeMap;
    NewImage?: AttributeMap;
    OldImage?: AttributeMap;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  eventSourceARN: string;
}

/** What one table's stream needs to know to describe a change. */
export interface StreamTarget {
  region: string;
  streamArn: string;
  view: StreamViewType;
  keyNames: string[];
}

/** Same item, written the same way: attribute order does not count. */
function sameItem(a: AttributeMap, b: AttributeMap): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Numbers stream records in the order their writes happened. DynamoDB's sequence numbers are decimal strings
 * that only grow; starting from the clock keeps them growing across restarts too.
 */
export class SequenceNumbers {
  private next: bigint;
  constructor(now = Date.now()) {
    this.next = BigInt(now) * 1_000_000n;
  }
  take(): string {
    this.next += 1n;
    return this.next.toString().padStart(21, "0");
  }
}

/**
 * The record for one item's change, or null when nothing changed: DynamoDB writes no stream record for a
 * write that leaves the item as it was (a put of the same item, a delete of a missing one).
 */
export function changeRecord(
  target: StreamTarget,
  before: AttributeMap | null,
  after: AttributeMap | null,
  sequence: SequenceNumbers,
  now = Date.now(),
): StreamRecord | null {
  if (before === null && after === null) return null;
  if (before !== null && after !== null && sameItem(before, after)) return null;
  const eventName = before === null ? "INSERT" : after === null ? "REMOVE" : "MODIFY";
  const source = (after ?? before) as AttributeMap;
  const keys = Object.fromEntries(target.keyNames.filter((name) => name in source).map((name) => [name, source[name]]));
  const withNew = target.view === "NEW_IMAGE" || target.view === "NEW_AND_OLD_IMAGES";
  const withOld = target.view === "OLD_IMAGE" || target.view === "NEW_AND_OLD_IMAGES";
  const dynamodb: StreamRecord["dynamodb"] = {
    ApproximateCreationDateTime: Math.floor(now / 1000),
    Keys: keys,
    ...(withNew && after !== null ? { NewImage: after } : {}),
    ...(withOld && before !== null ? { OldImage: before } : {}),
    SequenceNumber: sequence.take(),
    SizeBytes: 0,
    StreamViewType: target.view,
  };
  // DynamoDB counts the bytes of the keys and images the record carries; their JSON length is close enough.
  dynamodb.SizeBytes = Buffer.byteLength(JSON.stringify({ Keys: dynamodb.Keys, NewImage: dynamodb.NewImage, OldImage: dynamodb.OldImage }));
  return {
    eventID: randomBytes(16).toString("hex"),
    eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: target.region,
    dynamodb,
    eventSourceARN: target.streamArn,
  };
}
