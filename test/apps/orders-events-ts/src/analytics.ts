import type { SNSEvent } from "aws-lambda";

export const handler = async (event: SNSEvent) => ({ counted: event.Records.length, source: event.Records[0].EventSource });
