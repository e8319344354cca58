import { APIGatewayProxyEventV2 } from "aws-lambda";

export async function handler(event: APIGatewayProxyEventV2) {
  return {
    region: process.env.REGION,
    stage: process.env.STAGE,
    timeout: "20s",
    routeKey: event.routeKey,
  };
}
