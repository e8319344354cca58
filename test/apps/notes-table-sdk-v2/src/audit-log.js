import handler from "./libs/handler-lib";
import { queryEntries } from "./libs/audit-store";

export const main = handler(async (event) => {
  const result = await queryEntries({
    TableName: process.env.auditTableName,
    KeyConditionExpression: "noteId = :id",
    ExpressionAttributeValues: { ":id": event.pathParameters.id },
  });
  return result.Items;
});
