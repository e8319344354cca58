import { validateHeaderName, validateHeaderValue } from "node:http";

/** An HTTP response ready to write: lowercase header names, repeated names allowed (set-cookie). */
export interface HttpResponse {
  statusCode: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** The mapped response, or why the payload is not a valid 2.0 response (the gateway answers 500). */
export type MapResponseResult = { ok: true; response: HttpResponse } | { ok: false; reason: string };

/** Tolerances AWS leaves open (docs/api-gateway.md §5.2); both default to AWS's documented strictness. */
export interface MapResponseOptions {
  /** Accept `"statusCode": "200"` (default false: 500). */
  acceptStringStatusCode?: boolean;
  /** Send an object `body` as its JSON text (default false: 500). */
  stringifyObjectBody?: boolean;
  /** Lambda's synchronous response limit; larger payloads fail (default 6 MB). */
  maxPayloadBytes?: number;
}

/** Lambda's synchronous response limit, as its error message states it (6 MB plus 100 bytes). */
export const MAX_LAMBDA_PAYLOAD_BYTES = 6291556;

const EMPTY = Buffer.alloc(0);
const JSON_TYPE: [string, string] = ["content-type", "application/json"];
// The gateway frames the body itself; a function's framing headers would corrupt the connection.
const FRAMING = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade"]);

/** Maps a handler result (the JSON text Lambda hands on) to the client's response (docs/api-gateway.md §5). */
export function mapResponse(payload: string, options: MapResponseOptions = {}): MapResponseResult {
  const limit = options.maxPayloadBytes ?? MAX_LAMBDA_PAYLOAD_BYTES;
  if (payload.length > limit || (payload.length * 3 > limit && Buffer.byteLength(payload) > limit)) {
    return { ok: false, reason: `the function's response is larger than Lambda's ${limit}-byte limit` };
  }
  let result: unknown;
  try {
    result = payload === "" ? null : JSON.parse(payload);
  } catch {
    return { ok: false, reason: "the function's response is not valid JSON" };
  }
  if (result === null || result === undefined) return inferred(EMPTY);
  if (typeof result === "string") return inferred(Buffer.from(result));
  if (typeof result !== "object" || Array.isArray(result) || !Object.hasOwn(result, "statusCode")) {
    // No statusCode key: API Gateway infers the format and sends the whole value as JSON (docs/api-gateway.md §5.1).
    return inferred(Buffer.from(payload));
  }
  return structured(result as Record<string, unknown>, options);
}

function inferred(body: Buffer): MapResponseResult {
  return { ok: true, response: { statusCode: 200, headers: [JSON_TYPE], body } };
}

function structured(result: Record<string, unknown>, options: MapResponseOptions): MapResponseResult {
  let statusCode = result.statusCode;
  if (typeof statusCode === "string" && options.acceptStringStatusCode && /^\d+$/.test(statusCode)) {
    statusCode = Number(statusCode);
  }
  // 1xx codes are interim responses HTTP cannot send as a final answer, so they count as malformed.
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 200 || statusCode > 599) {
    return { ok: false, reason: `statusCode must be an integer HTTP status, got ${JSON.stringify(statusCode)}` };
  }
  const headers: Array<[string, string]> = [];
  const cookies = result.cookies;
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || cookies.some((c) => typeof c !== "string")) {
      return { ok: false, reason: "cookies must be an array of strings" };
    }
    for (const cookie of cookies as string[]) headers.push(["set-cookie", cookie]);
  }
  let hasContentType = false;
  const given = result.headers;
  if (given !== undefined && given !== null) {
    if (typeof given !== "object" || Array.isArray(given)) {
      return { ok: false, reason: "headers must be an object of strings" };
    }
    for (const [rawName, rawValue] of Object.entries(given)) {
      // Numbers and booleans are stringified (what the Node runtime's users expect); objects are malformed.
      if (rawValue === null || typeof rawValue === "object") {
        return { ok: false, reason: `header "${rawName}" must be a string` };
      }
      const name = rawName.toLowerCase();
      const value = String(rawValue);
      try {
        validateHeaderName(name);
        validateHeaderValue(name, value);
      } catch {
        return { ok: false, reason: `header "${rawName}" has characters HTTP does not allow` };
      }
      if (FRAMING.has(name)) continue;
      if (name === "content-type") hasContentType = true;
      headers.push([name, value]);
    }
  }
  // API Gateway sends no default; SAM CLI's application/json is what docs/api-gateway.md §5.2 picks.
  if (!hasContentType) headers.push(JSON_TYPE);
  let body = result.body;
  if (body === undefined || body === null) return { ok: true, response: { statusCode, headers, body: EMPTY } };
  if (typeof body !== "string") {
    if (!options.stringifyObjectBody) return { ok: false, reason: `body must be a string, got ${typeof body}` };
    body = JSON.stringify(body);
  }
  const bytes = result.isBase64Encoded === true ? Buffer.from(body as string, "base64") : Buffer.from(body as string);
  return { ok: true, response: { statusCode, headers, body: bytes } };
}
