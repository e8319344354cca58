import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";

// An IAM-policy Lambda authorizer (payload 1.0, as CDK's HttpLambdaAuthorizer defaults to).
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  console.log(`policy authorizer invoked for ${event.methodArn}`);
  const token = event.headers?.authorization ?? event.headers?.Authorization ?? "";
  const [, apiArn] = /^(arn:aws:execute-api:[^/]+\/[^/]+)\//.exec(event.methodArn) ?? [];
  if (token === "Bearer reader") {
    // Readers may GET anything and nothing else.
    return policy("reader-1", "Allow", `${apiArn}/GET/*`, { role: "reader", quota: 10 });
  }
  if (token === "Bearer this-route-only") {
    // Allowed on the route of the first request only: a cached policy keeps saying so.
    return policy("narrow-1", "Allow", event.methodArn, { role: "narrow" });
  }
  return policy("anonymous", "Deny", `${apiArn}/*`);
}

function policy(principalId: string, effect: "Allow" | "Deny", resource: string, context?: Record<string, string | number>): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] },
    context,
  };
}
