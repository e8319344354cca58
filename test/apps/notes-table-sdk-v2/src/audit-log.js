import handler from "./libs/handler-lib";
import dynamoDb from "./libs/dynamodb-lib";

export const main = handler(async (event) => {
  const result = await dynamoDb.query({
    TableName: process.env.auditTableName,
    KeyConditionExpression: "noteId = :id",
    ExpressionAttributeValues: { ":id": event.pathParameters.id },
  });
  return result.Items;
});
