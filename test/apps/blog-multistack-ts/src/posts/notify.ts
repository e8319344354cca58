import type { SNSEvent } from "aws-lambda";

export async function main(event: SNSEvent) {
  return { notified: event.Records[0].Sns.Message, stack: process.env.STACK_NAME };
}
