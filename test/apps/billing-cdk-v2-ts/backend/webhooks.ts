import type { APIGatewayProxyEventV2 } from "aws-lambda";

export async function receive(event: APIGatewayProxyEventV2) {
  return { statusCode: 200, body: JSON.stringify({ provider: event.pathParameters?.provider, method: event.requestContext.http.method }) };
}
