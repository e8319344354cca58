import type { SQSEvent } from "aws-lambda";

export async function handler(event: SQSEvent) {
  const notification = JSON.parse(event.Records[0].body);
  const order = JSON.parse(notification.Message ?? event.Records[0].body);
  return { receiptFor: order.id, from: event.Records[0].eventSourceARN };
}
