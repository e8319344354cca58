/**
 * What the gateway reports about each request it answered: the cheap summary every request gets (the access
 * log needs nothing more), and, only when an observer asks for it, the detail the dev console shows.
 */

/** Bodies kept in a record are cut at this many bytes (and flagged), so a big upload cannot pin memory. */
export const RECORD_BODY_LIMIT = 64 * 1024;

/** Whether an authorizer ran, and what it decided, in words. */
export interface RequestVerdict {
  kind: "none" | "allow" | "deny";
  /** One line: `audience mismatch: token aud "abc", expected "UsGR…"`; for an allow, `sub=auth0|…`. */
  reason: string;
  /** The `sub` claim of an allowed token. */
  sub?: string;
}

/** A body as kept in a record: at most RECORD_BODY_LIMIT bytes. */
export interface RecordedBody {
  body: Buffer;
  /** The whole body's size in bytes. */
  size: number;
  truncated: boolean;
}

/** The parts of a request and its answer that only an observer (the dev console) needs. */
export interface RequestDetail {
  /** Path and query exactly as received. */
  rawUrl: string;
  /** Raw header pairs as received: `[name, value, name, value, …]`. */
  headers: string[];
  requestBody: RecordedBody;
  /** The token the authorizer was given (raw, decoded when it is a JWT); null when none was read. */
  token: DecodedToken | null;
  /**
   * The payload 2.0 event the function received, as the JSON text it was sent as; undefined when no function ran.
   * Kept as text: one flat string per request costs the garbage collector far less than the event's objects.
   */
  eventJson?: string;
  /** True when the event's body was cut to RECORD_BODY_LIMIT for the record. */
  eventTruncated: boolean;
  responseHeaders: Array<[string, string]>;
  responseBody: RecordedBody;
}

/** A bearer token with its JWT header and claims, when it decodes as a JWT. */
export interface DecodedToken {
  raw: string;
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
}

/** One answered request. */
export interface RequestRecord {
  /** When the request arrived, ms since the epoch. */
  time: number;
  method: string;
  /** Decoded path (as routes see it). */
  path: string;
  /** The raw query string without `?`. */
  query: string;
  /** The matched route key, or null (no route, CORS preflight, refused before routing). */
  routeKey: string | null;
  status: number;
  latencyMs: number;
  /** API Gateway's request id (the `apigw-requestid` header and the function's awsRequestId). */
  requestId: string;
  /** The Api's manifest id. */
  apiId: string;
  verdict: RequestVerdict;
  /** Present only when the gateway has an observer (`onRequest`). */
  detail?: RequestDetail;
}

/** Receives each record; called after the response is ready, must not throw and should return quickly. */
export type RequestObserver = (record: RequestRecord) => void;

/** A body cut to RECORD_BODY_LIMIT: a copy of the head when too big, so the whole buffer can be freed. */
export function recordBody(body: Buffer): RecordedBody {
  if (body.length <= RECORD_BODY_LIMIT) return { body, size: body.length, truncated: false };
  return { body: Buffer.from(body.subarray(0, RECORD_BODY_LIMIT)), size: body.length, truncated: true };
}

/** The token with its JWT header and claims decoded when it has that shape; never throws. */
export function decodeToken(raw: string): DecodedToken {
  const parts = raw.split(".");
  if (parts.length !== 3) return { raw, header: null, claims: null };
  return { raw, header: decodeSegment(parts[0]), claims: decodeSegment(parts[1]) };
}

function decodeSegment(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The event as recorded, as JSON text: its body cut to RECORD_BODY_LIMIT characters when longer. Only text long
 * enough to hold such a body is parsed to cut it; every other event is kept as the text it was sent as.
 */
export function recordEvent(json: string | null): { json: string | undefined; truncated: boolean } {
  if (json === null) return { json: undefined, truncated: false };
  if (json.length <= RECORD_BODY_LIMIT) return { json, truncated: false };
  const event = JSON.parse(json) as { body?: unknown };
  if (typeof event.body !== "string" || event.body.length <= RECORD_BODY_LIMIT) return { json, truncated: false };
  return { json: JSON.stringify({ ...event, body: event.body.slice(0, RECORD_BODY_LIMIT) }), truncated: true };
}
