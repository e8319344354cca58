import type { HttpResponse } from "./map-response.js";

/** Statuses the gateway answers by itself, each with API Gateway's `{"message":"…"}` body (docs/api-gateway.md §8). */
export type GatewayStatus = 400 | 401 | 403 | 404 | 408 | 413 | 429 | 431 | 500 | 503;

const MESSAGES: Record<GatewayStatus, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  // The gateway's own answer to a body that did not arrive in time (docs/runtime.md, "Request bodies").
  408: "Request Timeout",
  413: "Request Entity Too Large",
  // AWS's status for an over-long request line plus headers (10240 bytes) is unverified; 431 is the
  // standard code for exactly this, so clients and browsers show a meaningful error.
  431: "Request Header Fields Too Large",
  // API Gateway's throttling answer, offered for a throttled function (GatewayOptions.throttleStatus).
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

// Bodies are built once; every gateway response shares them (they are never mutated).
const BODIES = new Map<GatewayStatus, Buffer>(
  (Object.keys(MESSAGES) as unknown as GatewayStatus[]).map((status) => [
    Number(status) as GatewayStatus,
    Buffer.from(JSON.stringify({ message: MESSAGES[status] })),
  ]),
);

/** The gateway's own JSON error response (`apigw-requestid` is added by the gateway for every response). */
export function gatewayResponse(status: GatewayStatus, extraHeaders: Array<[string, string]> = []): HttpResponse {
  return {
    statusCode: status,
    headers: [["content-type", "application/json"], ...extraHeaders],
    body: BODIES.get(status)!,
  };
}

/** API Gateway's 401 for a refused token, with the `www-authenticate` challenge (docs/api-gateway.md §3.3). */
export function unauthorizedResponse(description: string): HttpResponse {
  return gatewayResponse(401, [["www-authenticate", bearerChallenge(description)]]);
}

/** `Bearer scope="" error="invalid_token" error_description="…"`, quotes and controls made safe for a header. */
export function bearerChallenge(description: string): string {
  const safe = description.replace(/[\\"]/g, "'").replace(/[^\x20-\x7e]/g, " ");
  return `Bearer scope="" error="invalid_token" error_description="${safe}"`;
}

/** The raw HTTP/1.1 text of a gateway response, for sockets the HTTP parser gave up on (no request id). */
export function rawGatewayResponse(status: GatewayStatus, requestId: string): string {
  const body = BODIES.get(status)!.toString();
  return (
    `HTTP/1.1 ${status} ${MESSAGES[status]}\r\n` +
    "content-type: application/json\r\n" +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    `apigw-requestid: ${requestId}\r\n` +
    "connection: close\r\n\r\n" +
    body
  );
}

/** API Gateway's 403 for a request that fails IAM authorization, with its `x-amzn-ErrorType` (docs/authorizers.md). */
export function iamRefusalResponse(errorType: string, message: string): HttpResponse {
  return {
    statusCode: 403,
    headers: [
      ["content-type", "application/json"],
      ["x-amzn-errortype", errorType],
    ],
    body: Buffer.from(JSON.stringify({ message })),
  };
}
