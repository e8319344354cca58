import type { IncomingMessage, ServerResponse } from "node:http";
import { COGNITO_SIGNIN_SCOPE, issueCognitoTokens } from "./cognito-tokens.js";
import { readRawBody } from "./request-body.js";
import type { TenantRuntime } from "./tenant-runtime.js";

const TARGET = "AWSCognitoIdentityProviderService.InitiateAuth";

/** True for a request to Cognito's JSON API (`POST /` with `X-Amz-Target`). */
export function isCognitoApiRequest(req: IncomingMessage, path: string): boolean {
  return req.method === "POST" && path === "/" && typeof req.headers["x-amz-target"] === "string";
}

/**
 * Cognito's `InitiateAuth` with `USER_PASSWORD_AUTH`, the call an app (or the AWS SDK) makes to sign a user in
 * with a user name and password: answers `AuthenticationResult` with Cognito-shaped tokens, or Cognito's error
 * types (docs/authorizers.md). Other targets and flows are refused as Cognito refuses unknown ones.
 */
export async function cognitoInitiateAuth(tenant: TenantRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const fail = (status: number, type: string, message: string) => send(res, status, { __type: type, message });
  if (req.headers["x-amz-target"] !== TARGET) return fail(400, "UnknownOperationException", "");
  let body: { AuthFlow?: unknown; ClientId?: unknown; AuthParameters?: Record<string, unknown> };
  try {
    body = JSON.parse(await readRawBody(req));
  } catch {
    return fail(400, "SerializationException", "The request body is not valid JSON.");
  }
  if (body.AuthFlow !== "USER_PASSWORD_AUTH") {
    return fail(400, "InvalidParameterException", `AuthFlow ${JSON.stringify(body.AuthFlow)} is not served locally; use USER_PASSWORD_AUTH.`);
  }
  const clientId = typeof body.ClientId === "string" ? body.ClientId : "";
  if (!tenant.store.getApplication(clientId)) return fail(400, "ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
  const username = String(body.AuthParameters?.USERNAME ?? "");
  const password = String(body.AuthParameters?.PASSWORD ?? "");
  const ip = String(req.socket.remoteAddress ?? "unknown");
  if (tenant.throttle.isBlocked(username, ip)) return fail(400, "TooManyRequestsException", "Too many failed attempts.");
  const user = username && password ? await tenant.store.verifyCredentials(username, password) : undefined;
  if (!user) {
    tenant.throttle.recordFailure(username, ip);
    return fail(400, "NotAuthorizedException", "Incorrect username or password.");
  }
  tenant.throttle.recordSuccess(username, ip);
  const tokens = await issueCognitoTokens(tenant.issuer, tenant.store, user, clientId, { scope: COGNITO_SIGNIN_SCOPE });
  send(res, 200, { AuthenticationResult: tokens, ChallengeParameters: {} });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/x-amz-json-1.1", "Cache-Control": "no-store" }).end(JSON.stringify(body));
}
