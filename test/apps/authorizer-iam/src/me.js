export async function main(event) {
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ iam: event.requestContext.authorizer.iam, headers: event.headers }),
  };
}
