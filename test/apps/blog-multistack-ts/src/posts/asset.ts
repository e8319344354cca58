import type { APIGatewayProxyEventV2 } from "aws-lambda";

export async function main(event: APIGatewayProxyEventV2) {
  return { statusCode: 200, body: JSON.stringify(event.pathParameters) };
}
