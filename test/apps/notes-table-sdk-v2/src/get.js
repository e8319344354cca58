import handler from "./libs/handler-lib";
import dynamoDb from "./libs/dynamodb-lib";

export const main = handler(async (event) => {
  const result = await dynamoDb.get({
    TableName: process.env.tableName,
    Key: { userId: "user-1", noteId: event.pathParameters.id },
  });
  return result.Item ?? null;
});
