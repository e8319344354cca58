export async function create(event) {
  const note = JSON.parse(event.body ?? "{}");
  return {
    statusCode: 201,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ owner: event.requestContext.authorizer.iam.userArn, note }),
  };
}

export async function get(event) {
  return { statusCode: 200, body: JSON.stringify({ id: event.pathParameters.id, query: event.queryStringParameters ?? null }) };
}
