import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";

export async function main(event: APIGatewayProxyEventV2WithJWTAuthorizer) {
  const claims = event.requestContext.authorizer.jwt.claims;
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ claims, scopes: event.requestContext.authorizer.jwt.scopes }),
  };
}

export async function update(event: APIGatewayProxyEventV2WithJWTAuthorizer) {
  return { statusCode: 200, body: JSON.stringify({ updated: event.requestContext.authorizer.jwt.claims.sub }) };
}

export async function hello() {
  return { statusCode: 200, body: "hello" };
}
