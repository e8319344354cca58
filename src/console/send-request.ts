import { GatehouseError } from "../errors.js";

/** A request the console sends to one of the app's Apis (a replay, or a call made as a user). */
export interface OutgoingRequest {
  /** The Api's base URL, `http://127.0.0.1:4000`. */
  baseUrl: string;
  method: string;
  /** Path and query: `/private?x=1`. */
  target: string;
  headers: Array<[string, string]>;
  body?: string;
  /** When set, replaces the token: `authorization: Bearer <token>` (or the route's own identity header). */
  token?: string;
  /** The header the route's authorizer reads the token from (default authorization). */
  tokenHeader?: string;
}

/** What came back, for the page. */
export interface SentResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
  /** The gateway's request id: the new row in the request list. */
  requestId: string | null;
}

// Framing and connection headers belong to the original connection; fetch sets its own.
const NOT_REPLAYED = new Set(["host", "content-length", "connection", "keep-alive", "transfer-encoding", "upgrade", "expect"]);
const BODYLESS = new Set(["GET", "HEAD"]);

/** Sends the request over loopback HTTP, so it goes through the gateway like any other and is logged. */
export async function sendRequest(request: OutgoingRequest): Promise<SentResponse> {
  if (!/^[A-Z]+$/.test(request.method)) throw new GatehouseError("GH_ERR_CONSOLE_INVALID", `"${request.method}" is not an HTTP method`);
  if (!request.target.startsWith("/")) throw new GatehouseError("GH_ERR_CONSOLE_INVALID", `the path must start with "/", got "${request.target}"`);
  const headers = new Headers();
  const tokenHeader = (request.tokenHeader ?? "authorization").toLowerCase();
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (NOT_REPLAYED.has(lower)) continue;
    if (request.token !== undefined && lower === tokenHeader) continue;
    try {
      headers.append(name, value);
    } catch {
      throw new GatehouseError("GH_ERR_CONSOLE_INVALID", `header ${JSON.stringify(name)} is not a valid HTTP header`);
    }
  }
  if (request.token) headers.set(tokenHeader, `Bearer ${request.token}`);
  const response = await fetch(new URL(request.target, request.baseUrl), {
    method: request.method,
    headers,
    body: BODYLESS.has(request.method) || request.body === undefined || request.body === "" ? undefined : request.body,
    redirect: "manual",
  });
  const body = await response.text();
  const responseHeaders: Array<[string, string]> = [];
  response.headers.forEach((value, name) => {
    responseHeaders.push([name, value]);
  });
  return {
    status: response.status,
    headers: responseHeaders,
    body: body.length > 65536 ? `${body.slice(0, 65536)}… (cut)` : body,
    requestId: response.headers.get("apigw-requestid"),
  };
}
