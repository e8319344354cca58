import handler from "./libs/handler-lib";
import dynamoDb from "./libs/dynamodb-lib";

// Newest first, through the GSI.
export const main = handler(async () => {
  const result = await dynamoDb.query({
    TableName: process.env.tableName,
    IndexName: "byCreatedAt",
    KeyConditionExpression: "userId = :userId",
    ExpressionAttributeValues: { ":userId": "user-1" },
    ScanIndexForward: false,
  });
  return result.Items;
});
