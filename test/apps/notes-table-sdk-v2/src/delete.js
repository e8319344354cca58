import handler from "./libs/handler-lib";
import dynamoDb from "./libs/dynamodb-lib";

export const main = handler(async (event) => {
  await dynamoDb.delete({ TableName: process.env.tableName, Key: { userId: "user-1", noteId: event.pathParameters.id } });
  return { status: true };
});
