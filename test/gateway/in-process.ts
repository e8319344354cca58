import type { ApiManifest, HttpMethod, RouteManifest } from "../../src/manifest/manifest.js";
import type { AuthorizationRequest, AuthorizationResult, Authorizer } from "../../src/auth/types.js";
import type { GatewayRequest } from "../../src/gateway/gateway.js";
import type { InvokeOptions, InvokeOutcome, Invoker } from "../../src/runtime/types.js";

/** A handler as a test writes it: receives the event, returns what a Lambda handler would. */
export type TestHandler = (event: any) => unknown;

/**
 * A real Invoker that runs plain JS functions in this process. The event is cloned and the result
 * serialized to JSON text, exactly what crosses the boundary to a Lambda worker.
 */
export class InProcessInvoker implements Invoker {
  readonly calls: Array<{ functionId: string; event: any; requestId?: string }> = [];
  constructor(private readonly handlers: Record<string, TestHandler>) {}

  async invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome> {
    const handler = this.handlers[functionId];
    if (!handler) return { ok: false, kind: "unknown_function", message: `no function ${functionId}` };
    const copy = structuredClone(event);
    this.calls.push({ functionId, event: copy, requestId: options?.requestId });
    try {
      const result = await handler(copy);
      return { ok: true, payload: JSON.stringify(result) ?? "null" };
    } catch (err) {
      return { ok: false, kind: "handler_error", message: err instanceof Error ? err.message : String(err) };
    }
  }
}

/**
 * A real Authorizer with a fixed token table: `Bearer <token>` allows with that token's claims,
 * anything else is refused the way the JWT authorizer refuses.
 */
export class TokenTableAuthorizer implements Authorizer {
  readonly requests: AuthorizationRequest[] = [];
  constructor(private readonly tokens: Record<string, { claims: Record<string, string>; scopes: string[] }>) {}

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    this.requests.push(request);
    const header = request.headers.authorization;
    if (!header) return { allow: false, status: 401, description: "no token", reason: "no Authorization header" };
    const token = header.replace(/^Bearer /i, "");
    const entry = this.tokens[token];
    if (!entry) return { allow: false, status: 401, description: "the token is invalid", reason: `unknown token ${token}` };
    if (request.scopes.length > 0 && !request.scopes.some((s) => entry.scopes.includes(s))) {
      return { allow: false, status: 403, description: "insufficient scope", reason: "missing scope" };
    }
    return { allow: true, claims: entry.claims, scopes: request.scopes.length > 0 ? entry.scopes : null };
  }
}

/** A RouteManifest from its key; JWT routes use authorizer "auth". */
export function route(key: string, functionId: string, jwt = false, scopes: string[] = []): RouteManifest {
  const space = key.indexOf(" ");
  return {
    key,
    method: key === "$default" ? null : (key.slice(0, space) as HttpMethod),
    path: key === "$default" ? null : key.slice(space + 1),
    functionId,
    stackId: "MyStack",
    authorizationType: jwt ? "JWT" : "NONE",
    authorizerId: jwt ? "auth" : null,
    authorizationScopes: scopes,
  };
}

/** An Api with one JWT authorizer named "auth". */
export function api(routes: RouteManifest[], cors: ApiManifest["cors"] = null): ApiManifest {
  return {
    id: "MyStack/Api",
    constructId: "Api",
    stackId: "MyStack",
    routes,
    authorizers: {
      auth: {
        id: "auth",
        type: "JWT",
        issuer: "https://issuer.test/",
        audience: ["aud"],
        identitySource: "$request.header.Authorization",
      },
    },
    cors,
  };
}

/** A GatewayRequest as node:http would hand it over. */
export function request(method: string, rawUrl: string, headers: string[] = [], body = ""): GatewayRequest {
  return {
    method,
    rawUrl,
    headers: ["Host", "127.0.0.1:3000", ...headers],
    body: Buffer.from(body),
    sourceIp: "127.0.0.1",
    protocol: "HTTP/1.1",
  };
}

/** The value of a response header (first occurrence), or undefined. */
export function header(response: { headers: Array<[string, string]> }, name: string): string | undefined {
  return response.headers.find(([n]) => n === name)?.[1];
}
