import { putEntry } from "./libs/audit-store";

// The Notes table's stream consumer: one audit entry per change, with the images the stream carried.
export async function main(event) {
  for (const record of event.Records) {
    await putEntry({
      TableName: process.env.auditTableName,
      Item: {
        noteId: record.dynamodb.Keys.noteId.S,
        sequence: record.dynamodb.SequenceNumber,
        eventName: record.eventName,
        eventSource: record.eventSource,
        newContent: record.dynamodb.NewImage?.content?.S ?? null,
        oldContent: record.dynamodb.OldImage?.content?.S ?? null,
        streamViewType: record.dynamodb.StreamViewType,
        fromArn: record.eventSourceARN,
      },
    });
  }
  return { batchItemFailures: [] };
}
