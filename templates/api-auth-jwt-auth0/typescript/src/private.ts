import type { APIGatewayProxyHandlerV2WithJWTAuthorizer } from "aws-lambda";

// Only requests with a valid token reach this handler; the token's claims are in
// event.requestContext.authorizer.jwt.claims (e.g. `sub`, the user's id).
export const main: APIGatewayProxyHandlerV2WithJWTAuthorizer = async () => {
  return {
    statusCode: 200,
    body: "Hello user!",
  };
};
