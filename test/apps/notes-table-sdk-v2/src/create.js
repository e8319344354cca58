import { randomUUID } from "node:crypto";
import handler from "./libs/handler-lib";
import dynamoDb from "./libs/dynamodb-lib";

export const main = handler(async (event) => {
  const data = JSON.parse(event.body);
  const params = {
    TableName: process.env.tableName,
    Item: { userId: "user-1", noteId: randomUUID(), content: data.content, createdAt: Date.now() },
  };
  await dynamoDb.put(params);
  return params.Item;
});
