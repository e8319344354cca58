import type { ScheduledEvent } from "aws-lambda";

export async function handler(event: ScheduledEvent) {
  return { report: process.env.KIND ?? "nightly", source: event.source, detailType: event["detail-type"] };
}
