import { LOCAL_ACCOUNT_ID } from "../manifest/manifest.js";
import { getOwn } from "./own-record.js";

/** The payload format 2.0 event as API Gateway sends it; optional keys are left out, never null. */
export interface PayloadV2Event {
  version: "2.0";
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: PayloadV2RequestContext;
  body?: string;
  pathParameters?: Record<string, string>;
  isBase64Encoded: boolean;
  stageVariables?: Record<string, string>;
}

/** What an authorizer hands the integration: JWT claims, a Lambda authorizer's context, or the IAM caller. */
export type PayloadV2Authorizer =
  | { jwt: { claims: Record<string, string>; scopes: string[] | null } }
  | { lambda: Record<string, unknown> | null }
  | { iam: Record<string, unknown> };

/** `event.requestContext` for payload 2.0. */
export interface PayloadV2RequestContext {
  accountId: string;
  apiId: string;
  authorizer?: PayloadV2Authorizer;
  domainName: string;
  domainPrefix: string;
  http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
  requestId: string;
  routeKey: string;
  stage: string;
  time: string;
  timeEpoch: number;
}

/** The account id every local event carries (the one AWS uses in its own samples). */

/** Everything buildEvent needs, already parsed; the gateway computes each piece once per request. */
export interface EventInput {
  routeKey: string;
  method: string;
  /** Decoded path as received (trailing slash kept). */
  path: string;
  /** Query string without `?`, percent-encoding kept. */
  rawQueryString: string;
  /** Lowercase headers including the gateway-added ones (see addGatewayHeaders). */
  headers: Record<string, string>;
  cookies: string[];
  queryStringParameters: Record<string, string> | null;
  pathParameters: Record<string, string> | null;
  stageVariables?: Record<string, string> | null;
  body: Buffer;
  apiId: string;
  requestId: string;
  /** HTTP version as `HTTP/1.1`. */
  protocol: string;
  sourceIp: string;
  stage: string;
  time: string;
  timeEpoch: number;
  authorizer?: { claims: Record<string, string>; scopes: string[] | null };
  /** Treat `+json`/`+xml` media types as text (default false: AWS's measured rule sends them base64). */
  structuredSuffixAsText?: boolean;
}

/** Builds the payload 2.0 event (docs/api-gateway.md §4); keys are inserted in the order of the AWS documentation example. */
export function buildEvent(input: EventInput): PayloadV2Event {
  const headers = input.headers;
  const host = getOwn(headers, "host") ?? "localhost";
  const event = {
    version: "2.0",
    routeKey: input.routeKey,
    rawPath: input.path,
    rawQueryString: input.rawQueryString,
  } as PayloadV2Event;
  if (input.cookies.length > 0) event.cookies = input.cookies;
  event.headers = headers;
  if (input.queryStringParameters) event.queryStringParameters = input.queryStringParameters;
  const context = { accountId: LOCAL_ACCOUNT_ID, apiId: input.apiId } as PayloadV2RequestContext;
  if (input.authorizer) context.authorizer = { jwt: input.authorizer };
  context.domainName = host;
  context.domainPrefix = domainPrefixOf(host);
  context.http = {
    method: input.method,
    path: input.path,
    protocol: input.protocol,
    sourceIp: input.sourceIp,
    userAgent: getOwn(headers, "user-agent") ?? "",
  };
  context.requestId = input.requestId;
  context.routeKey = input.routeKey;
  context.stage = input.stage;
  context.time = input.time;
  context.timeEpoch = input.timeEpoch;
  event.requestContext = context;
  let base64 = false;
  if (input.body.length > 0) {
    base64 = !isTextMediaType(getOwn(headers, "content-type"), input.structuredSuffixAsText === true);
    event.body = input.body.toString(base64 ? "base64" : "utf8");
  }
  if (input.pathParameters) event.pathParameters = input.pathParameters;
  event.isBase64Encoded = base64;
  if (input.stageVariables && Object.keys(input.stageVariables).length > 0) {
    event.stageVariables = input.stageVariables;
  }
  return event;
}

/**
 * Puts an authorizer's result into an event built before the authorizer ran (a Lambda authorizer's event is
 * made from it), keeping `authorizer` where API Gateway places it: right after `apiId`.
 */
export function setAuthorizer(event: PayloadV2Event, authorizer: PayloadV2Authorizer): void {
  const { accountId, apiId, authorizer: _previous, ...rest } = event.requestContext;
  event.requestContext = { accountId, apiId, authorizer, ...rest };
}

/**
 * `domainPrefix` is the first label of the host. For an IP literal or `localhost` there is no meaningful
 * label, so the whole host name is used (AWS never sees those hosts).
 */
function domainPrefixOf(host: string): string {
  const name = hostName(host);
  if (/^[\d.]+$/.test(name) || name.startsWith("[")) return name;
  const dot = name.indexOf(".");
  return dot < 0 ? name : name.slice(0, dot);
}

function hostName(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}

const TEXT_TYPES = new Set(["application/json", "application/xml", "application/javascript"]);

/**
 * Whether a request body goes to Lambda as UTF-8 text (docs/api-gateway.md §4.1, measured against AWS): `text/*`,
 * application/json, application/xml, application/javascript; everything else, including a missing
 * content-type and form posts, is base64.
 */
export function isTextMediaType(contentType: string | undefined, structuredSuffixAsText = false): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(";");
  const media = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (media.startsWith("text/") || TEXT_TYPES.has(media)) return true;
  return structuredSuffixAsText && (media.endsWith("+json") || media.endsWith("+xml"));
}

/** Where the local server really listens, for the gateway-added forwarding headers. */
export interface ForwardingInfo {
  sourceIp: string;
  /** The local server's port (AWS sends 443). */
  port: number;
  /** "http" locally (AWS sends "https"). */
  proto: string;
  epochMs: number;
  newTraceId: (epochMs: number) => string;
  bodyLength: number;
}

/**
 * Adds what API Gateway adds to `headers` (docs/api-gateway.md §4): `content-length`, `x-amzn-trace-id` (kept when the
 * client sent a Root), `x-forwarded-for` (client IP appended), and `x-forwarded-port`/`-proto` set to the
 * local server's real values rather than AWS's 443/https, so functions that build absolute URLs from them
 * produce links that work locally.
 */
export function addGatewayHeaders(headers: Record<string, string>, info: ForwardingInfo): void {
  headers["content-length"] = String(info.bodyLength);
  const trace = getOwn(headers, "x-amzn-trace-id");
  if (trace === undefined || !trace.startsWith("Root=")) headers["x-amzn-trace-id"] = info.newTraceId(info.epochMs);
  const forwarded = getOwn(headers, "x-forwarded-for");
  headers["x-forwarded-for"] = forwarded ? `${forwarded}, ${info.sourceIp}` : info.sourceIp;
  headers["x-forwarded-port"] = String(info.port);
  headers["x-forwarded-proto"] = info.proto;
}
