import type { SNSEvent } from "aws-lambda";

export async function handler(event: SNSEvent) {
  const record = event.Records[0];
  const order = JSON.parse(record.Sns.Message);
  return { reserved: order.items, topicArn: record.Sns.TopicArn };
}
