export async function handler(event) {
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ route: event.routeKey, authorizer: event.requestContext.authorizer }),
  };
}
