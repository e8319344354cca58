import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TableName = process.env.TABLE_NAME as string;

function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

export async function put(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const { text, tag } = JSON.parse(event.body ?? "{}") as { text: string; tag: string };
  const item = { pk: "note", sk: event.pathParameters?.id as string, text, tag, region: await db.config.region() };
  await db.send(new PutCommand({ TableName, Item: item }));
  return json(200, item);
}

export async function get(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const { Item } = await db.send(new GetCommand({ TableName, Key: { pk: "note", sk: event.pathParameters?.id } }));
  return Item ? json(200, Item) : json(404, { error: "not found" });
}

export async function byTag(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName,
      IndexName: "byTag",
      KeyConditionExpression: "tag = :tag",
      ExpressionAttributeValues: { ":tag": event.pathParameters?.tag },
    }),
  );
  return json(200, Items ?? []);
}
