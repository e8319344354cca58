import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";

type Event = APIGatewayProxyEventV2 & { requestContext: { authorizer?: { lambda?: Record<string, unknown> | null } } };

const reply = (event: Event, extra: Record<string, unknown>): APIGatewayProxyResultV2 => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ route: event.routeKey, lambda: event.requestContext.authorizer?.lambda, ...extra }),
});

export const list = async (event: Event) => reply(event, { orders: ["o-1", "o-2"] });
export const get = async (event: Event) => reply(event, { order: event.pathParameters?.id });
export const remove = async (event: Event) => reply(event, { removed: event.pathParameters?.id });
export const health = async () => ({ statusCode: 200, body: "ok" });
