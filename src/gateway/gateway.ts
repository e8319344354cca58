import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { ApiManifest, JwtAuthorizerManifest, LambdaAuthorizerManifest, RouteManifest } from "../manifest/manifest.js";
import { LambdaAuthorizer } from "../auth/lambda-authorizer.js";
import { routeArn } from "../auth/route-arn.js";
import { type LocalCredential, SigV4Verifier } from "../auth/sigv4-verifier.js";
import { parseIdentitySource } from "../app/identity-source.js";
import { readToken } from "../auth/identity-source.js";
import type { Authorizer } from "../auth/types.js";
import { GatehouseError } from "../errors.js";
import type { Logger } from "../log.js";
import type { InvokeOutcome, Invoker } from "../runtime/types.js";
import { type AccessLogStyle, formatAccessLine } from "./access-log.js";
import { addGatewayHeaders, buildEvent, type PayloadV2Authorizer, setAuthorizer } from "./build-event.js";
import { type BodyBudget, processBodyBudget } from "./body-budget.js";
import { clfTime } from "./clf-time.js";
import { type Cors, compileCors } from "./cors.js";
import { gatewayResponse, iamRefusalResponse, rawGatewayResponse, unauthorizedResponse } from "./gateway-responses.js";
import { type HttpResponse, type MapResponseOptions, mapResponse } from "./map-response.js";
import { compileRoutes, type Router } from "./match-route.js";
import { getOwn } from "./own-record.js";
import { collectHeaders, decodePath, parseQueryString, splitTarget } from "./read-request.js";
import { deriveApiId, newRequestId, newTraceId } from "./request-ids.js";
import { Withdrawal } from "./withdrawal.js";
import {
  decodeToken,
  type RequestObserver,
  type RequestRecord,
  type RequestVerdict,
  recordBody,
  recordEvent,
} from "./request-record.js";

/** One request as received, before any API Gateway processing. */
export interface GatewayRequest {
  method: string;
  /** Path and query exactly as received (`/pets/a%20b?x=1`). */
  rawUrl: string;
  /** Raw header pairs, like IncomingMessage.rawHeaders: `[name, value, name, value, …]`. */
  headers: string[];
  body: Buffer;
  sourceIp: string;
  /** HTTP version as it appears in `requestContext.http.protocol`: `HTTP/1.1`. */
  protocol: string;
  /** The local port the request arrived on (for `x-forwarded-port`); taken from Host when absent. */
  localPort?: number;
  /** Aborted when the client goes away; the gateway also aborts it when the integration timeout answers. */
  signal?: Withdrawal;
}

/** The gateway's answer; `apigw-requestid` is always among the headers. */
export type GatewayResponse = HttpResponse;

/** Everything a gateway needs; limits default to API Gateway's quotas. */
export interface GatewayOptions {
  api: ApiManifest;
  invoker: Invoker;
  authorizer: Authorizer;
  logger: Logger;
  /** API Gateway's integration timeout (default and maximum 30000 ms); past it the client gets 503. */
  integrationTimeoutMs?: number;
  /** Payload quota (default 10 MB); larger bodies get 413. */
  maxBodyBytes?: number;
  /** Quota on request line plus headers (default 10240 bytes). */
  maxHeaderBytes?: number;
  /** Status when that quota is exceeded (default 431; AWS's is unverified). */
  headerLimitStatus?: 400 | 431;
  /** Status of a preflight from a disallowed origin (default 204, without CORS headers). */
  corsDisallowedPreflightStatus?: number;
  /** Tolerances for malformed function responses. */
  response?: MapResponseOptions;
  /** Send `+json`/`+xml` request bodies as text instead of base64 (default false, AWS's measured rule). */
  structuredSuffixAsText?: boolean;
  /** The API's region, for route ARNs and the SigV4 credential scope (default us-east-1). */
  region?: string;
  /** The key pairs AWS_IAM routes accept; without it every signed request is refused as an unknown key. */
  iamCredentials?: (accessKeyId: string) => LocalCredential | undefined;
  /** Clock of the Lambda authorizer cache and the SigV4 time window (tests inject one). */
  now?: () => number;
  /** How long a Lambda authorizer may take (default and AWS's fixed value 10000 ms). */
  authorizerTimeoutMs?: number;
  /** Status for an invocation the runtime throttled (its function's queue is full); default 503. */
  throttleStatus?: 429 | 500 | 503;
  /** Request-body memory shared across gateways; default the process-wide budget (docs/runtime.md). */
  bodyBudget?: BodyBudget;
  /** A request body must have arrived this long after its headers (default 30000 ms); else 408. */
  bodyTimeoutMs?: number;
  /** One line per request through `logger.info` (default: on, without colour); false silences it. */
  accessLog?: AccessLogStyle | false;
  /** Receives a record of every answered request, with its detail (token, event, response); see request-record.ts. */
  onRequest?: RequestObserver;
}

/** A local API Gateway HTTP API (payload 2.0) for one Api. */
export interface Gateway {
  /** Answers one request in-process (no socket). Never rejects. */
  handle(request: GatewayRequest): Promise<GatewayResponse>;
  /** Swaps routes, authorizers and CORS atomically; in-flight requests finish with the old table. */
  update(api: ApiManifest): void;
  /** Serves the gateway over HTTP on 127.0.0.1 unless `host` says otherwise; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stops the server (if listening) and drops its connections. */
  close(): Promise<void>;
}

/** What one Api version compiles to; replaced as a whole by `update`. */
interface ApiState {
  api: ApiManifest;
  router: Router;
  cors: Cors | null;
  apiId: string;
}

const DEFAULT_STAGE = "$default";
const EMPTY_BODY = Buffer.alloc(0);
const TIMED_OUT = Symbol("timed out");
const NO_VERDICT: RequestVerdict = { kind: "none", reason: "" };

/** What answering one request learned along the way, for its record. */
interface RequestTrace {
  path: string;
  query: string;
  routeKey: string | null;
  verdict: RequestVerdict;
  /** The raw token the authorizer read; only looked for when an observer wants the detail. */
  token: string | null;
  /** The event sent to the function, as JSON text; null when none was. */
  eventJson: string | null;
}

/** Creates a gateway for one Api; throws ROUTE_INVALID / ROUTE_DUPLICATE for a bad route table. */
export function createGateway(options: GatewayOptions): Gateway {
  return new LocalGateway(options);
}

class LocalGateway implements Gateway {
  private state: ApiState;
  private server: Server | null = null;
  private readonly integrationTimeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly maxHeaderBytes: number;
  private readonly region: string;
  private readonly lambdaAuthorizer: LambdaAuthorizer;
  private readonly sigv4: SigV4Verifier;
  private readonly bodyBudget: BodyBudget;
  private readonly bodyTimeoutMs: number;

  constructor(private readonly options: GatewayOptions) {
    this.region = options.region ?? "us-east-1";
    this.lambdaAuthorizer = new LambdaAuthorizer({
      invoker: options.invoker,
      now: options.now,
      timeoutMs: options.authorizerTimeoutMs,
      warn: (text) => options.logger.warn(text),
    });
    this.sigv4 = new SigV4Verifier({ region: this.region, credentials: options.iamCredentials ?? (() => undefined), now: options.now });
    this.integrationTimeoutMs = options.integrationTimeoutMs ?? 30_000;
    this.bodyBudget = options.bodyBudget ?? processBodyBudget;
    this.bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
    this.maxHeaderBytes = options.maxHeaderBytes ?? 10_240;
    this.state = this.compile(options.api);
  }

  private compile(api: ApiManifest): ApiState {
    return {
      api,
      router: compileRoutes(api.routes),
      cors: compileCors(api.cors, { disallowedPreflightStatus: this.options.corsDisallowedPreflightStatus }),
      apiId: deriveApiId(api.id),
    };
  }

  update(api: ApiManifest): void {
    // Compile first: a bad table throws here and the running one stays in place.
    this.state = this.compile(api);
  }

  async handle(request: GatewayRequest): Promise<GatewayResponse> {
    const time = Date.now();
    const started = performance.now();
    const requestId = newRequestId();
    const state = this.state;
    const trace: RequestTrace = { path: request.rawUrl, query: "", routeKey: null, verdict: NO_VERDICT, token: null, eventJson: null };
    let response: HttpResponse;
    try {
      response = await this.process(request, requestId, state, trace);
    } catch (err) {
      this.options.logger.error(`${request.method} ${request.rawUrl} 500 gateway error: ${describe(err)}`);
      response = gatewayResponse(500);
    }
    response.headers.push(["apigw-requestid", requestId]);
    if (this.options.accessLog !== false || this.options.onRequest) {
      this.report(request, response, state, trace, { time, latencyMs: performance.now() - started, requestId });
    }
    return response;
  }

  /** The access line and the observer's record; the detail is built only when an observer takes it. */
  private report(
    request: GatewayRequest,
    response: HttpResponse,
    state: ApiState,
    trace: RequestTrace,
    facts: { time: number; latencyMs: number; requestId: string },
  ): void {
    const record: RequestRecord = {
      time: facts.time,
      method: request.method,
      path: trace.path,
      query: trace.query,
      routeKey: trace.routeKey,
      status: response.statusCode,
      latencyMs: facts.latencyMs,
      requestId: facts.requestId,
      apiId: state.api.id,
      verdict: trace.verdict,
    };
    const accessLog = this.options.accessLog ?? { color: false };
    if (accessLog !== false) this.options.logger.info(formatAccessLine(record, accessLog));
    const observer = this.options.onRequest;
    if (!observer) return;
    const event = recordEvent(trace.eventJson);
    record.detail = {
      rawUrl: request.rawUrl,
      headers: request.headers,
      requestBody: recordBody(request.body),
      token: trace.token === null ? null : decodeToken(trace.token),
      eventJson: event.json,
      eventTruncated: event.truncated,
      responseHeaders: response.headers,
      responseBody: recordBody(response.body),
    };
    try {
      observer(record);
    } catch (err) {
      // An observer's bug must not turn into a failed request.
      this.options.logger.error(`request observer failed: ${(err as Error).stack ?? err}`);
    }
  }

  private async process(request: GatewayRequest, requestId: string, state: ApiState, trace: RequestTrace): Promise<HttpResponse> {
    const { method, rawUrl } = request;
    if (requestHeadBytes(request) > this.maxHeaderBytes) return gatewayResponse(this.options.headerLimitStatus ?? 431);
    if (request.body.length > this.maxBodyBytes) return gatewayResponse(413);
    const target = splitTarget(rawUrl);
    if (!target) return gatewayResponse(400);
    const path = decodePath(target.path);
    trace.path = path;
    trace.query = target.query;
    const { headers, cookies } = collectHeaders(request.headers);
    const cors = state.cors;
    const origin = cors ? getOwn(headers, "origin") : undefined;
    if (cors?.isPreflight(method, headers)) {
      const answer = cors.preflight(origin!);
      return { statusCode: answer.statusCode, headers: answer.headers, body: Buffer.alloc(0) };
    }
    const response = await this.route(request, requestId, state, path, target, headers, cookies, trace);
    if (cors && origin !== undefined) response.headers = cors.decorate(response.headers, origin);
    return response;
  }

  private async route(
    request: GatewayRequest,
    requestId: string,
    state: ApiState,
    path: string,
    target: { path: string; query: string },
    headers: Record<string, string>,
    cookies: string[],
    trace: RequestTrace,
  ): Promise<HttpResponse> {
    const method = request.method;
    const rawQueryString = target.query;
    const match = state.router.match(method, path);
    if (!match) return gatewayResponse(404);
    const route = match.route;
    trace.routeKey = route.key;
    let authorizerContext: PayloadV2Authorizer | undefined;
    if (route.authorizationType === "AWS_IAM") {
      // The signature covers the headers as the client sent them, before the gateway adds its own.
      const verdict = await this.sigv4.verify({ method, rawPath: target.path, rawQueryString, headers: { ...headers }, body: request.body });
      if (!verdict.ok) {
        trace.verdict = { kind: "deny", reason: `${verdict.errorType}: ${verdict.reason}` };
        return iamRefusalResponse(verdict.errorType, verdict.message);
      }
      authorizerContext = { iam: { ...verdict.identity } };
      trace.verdict = { kind: "allow", reason: `accessKey=${verdict.identity.accessKey}` };
    }
    const epochMs = Date.now();
    addGatewayHeaders(headers, {
      sourceIp: request.sourceIp,
      port: request.localPort ?? portFromHost(getOwn(headers, "host")),
      proto: "http",
      epochMs,
      newTraceId,
      bodyLength: request.body.length,
    });
    const query = parseQueryString(rawQueryString);
    let authorizer: { claims: Record<string, string>; scopes: string[] | null } | undefined;
    if (route.authorizationType === "JWT") {
      if (this.options.onRequest) trace.token = this.presentedToken(state, route, headers, query);
      const verdict = await this.authorize(state, route, headers, query);
      if (!verdict.allow) {
        // Reasons may quote token contents; the access line keeps them to one line.
        trace.verdict = { kind: "deny", reason: verdict.reason };
        return verdict.response;
      }
      const sub = verdict.claims.sub;
      trace.verdict = { kind: "allow", reason: `sub=${sub ?? "(none)"}`, sub };
      authorizer = { claims: verdict.claims, scopes: verdict.scopes };
    }
    const event = buildEvent({
      routeKey: route.key,
      method,
      path,
      rawQueryString,
      headers,
      cookies,
      queryStringParameters: query,
      pathParameters: match.pathParameters,
      body: request.body,
      apiId: state.apiId,
      requestId,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      stage: DEFAULT_STAGE,
      time: clfTime(epochMs),
      timeEpoch: epochMs,
      authorizer,
      structuredSuffixAsText: this.options.structuredSuffixAsText,
    });
    if (route.authorizationType === "CUSTOM") {
      const verdict = await this.authorizeByLambda(state, route, event, method, path);
      if (!verdict.allow) {
        trace.verdict = { kind: "deny", reason: verdict.reason };
        return verdict.response;
      }
      authorizerContext = { lambda: verdict.context };
      trace.verdict = { kind: "allow", reason: `Lambda authorizer "${route.authorizerId}"${verdict.cached ? " (cached)" : ""}` };
    }
    if (authorizerContext) setAuthorizer(event, authorizerContext);
    return this.integrate(route, event, requestId, method, path, request.signal, trace);
  }

  /** The token as the route's JWT authorizer reads it from the request, for the observer's record. */
  private presentedToken(
    state: ApiState,
    route: RouteManifest,
    headers: Record<string, string>,
    query: Record<string, string> | null,
  ): string | null {
    const id = route.authorizerId;
    const config = id && Object.hasOwn(state.api.authorizers, id) ? state.api.authorizers[id] : undefined;
    const source = config?.type === "JWT" ? parseIdentitySource(config.identitySource) : null;
    return source ? readToken(source, headers, query ?? {}) : null;
  }

  /** Runs the route's Lambda authorizer on the event the integration would get. */
  private async authorizeByLambda(
    state: ApiState,
    route: RouteManifest,
    event: ReturnType<typeof buildEvent>,
    method: string,
    path: string,
  ): Promise<{ allow: true; context: Record<string, unknown> | null; cached: boolean } | { allow: false; response: HttpResponse; reason: string }> {
    const config = this.authorizerOf(state, route, "REQUEST");
    if (!config) return { allow: false, response: gatewayResponse(500), reason: `route "${route.key}" names no Lambda authorizer the Api defines` };
    const arn = routeArn({ region: this.region, apiId: state.apiId, stage: DEFAULT_STAGE, method, path });
    const result = await this.lambdaAuthorizer.authorize({ authorizer: config, request: event, routeArn: arn, resource: route.path ?? "$default" });
    if (result.allow) return result;
    if (result.status === 500) this.options.logger.warn(`${requestLabel(method, path)} 500 ${oneLine(result.reason)}`);
    return { allow: false, response: gatewayResponse(result.status), reason: result.reason };
  }

  /** The route's authorizer of the given kind; null (logged) when the Api does not define it. */
  private authorizerOf<T extends "JWT" | "REQUEST">(state: ApiState, route: RouteManifest, type: T): (T extends "JWT" ? JwtAuthorizerManifest : LambdaAuthorizerManifest) | null {
    const id = route.authorizerId;
    const config = id !== null && Object.hasOwn(state.api.authorizers, id) ? state.api.authorizers[id] : undefined;
    if (!config || config.type !== type) {
      // Config validation should make this impossible; refuse rather than let the request through unchecked.
      this.options.logger.error(`route "${route.key}" names authorizer "${id}", which the Api does not define as a ${type} authorizer`);
      return null;
    }
    return config as T extends "JWT" ? JwtAuthorizerManifest : LambdaAuthorizerManifest;
  }

  private async authorize(
    state: ApiState,
    route: RouteManifest,
    headers: Record<string, string>,
    query: Record<string, string> | null,
  ): Promise<
    | { allow: true; claims: Record<string, string>; scopes: string[] | null }
    | { allow: false; response: HttpResponse; reason: string }
  > {
    const config = this.authorizerOf(state, route, "JWT");
    if (!config) {
      const reason = `route "${route.key}" names authorizer "${route.authorizerId}", which the Api does not define`;
      return { allow: false, response: gatewayResponse(500), reason };
    }
    const result = await this.options.authorizer.authorize({
      authorizer: config,
      routeKey: route.key,
      scopes: route.authorizationScopes,
      headers,
      query: query ?? {},
    });
    if (result.allow) return result;
    const response = result.status === 401 ? unauthorizedResponse(result.description) : gatewayResponse(403);
    return { allow: false, response, reason: result.reason };
  }

  private async integrate(
    route: RouteManifest,
    event: unknown,
    requestId: string,
    method: string,
    path: string,
    clientSignal: Withdrawal | undefined,
    trace: RequestTrace,
  ): Promise<HttpResponse> {
    // Serialized here rather than in the runtime, so the request record keeps this text instead of the event.
    const eventJson = JSON.stringify(event);
    trace.eventJson = eventJson;
    // At the integration timeout nobody waits any more: an invocation still queued is withdrawn, never run.
    const signal = clientSignal ?? new Withdrawal();
    const outcome = await new Promise<InvokeOutcome | typeof TIMED_OUT>((resolve) => {
      const timer = setTimeout(() => {
        resolve(TIMED_OUT);
        signal.abort();
      }, this.integrationTimeoutMs);
      this.options.invoker.invoke(route.functionId, event, { requestId, signal, eventJson }).then(
        (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        (err) => {
          clearTimeout(timer);
          resolve({ ok: false, kind: "crashed", message: describe(err) });
        },
      );
    });
    const logger = this.options.logger;
    if (outcome === TIMED_OUT) {
      logger.warn(`${requestLabel(method, path)} 503 integration timed out after ${this.integrationTimeoutMs} ms`);
      return gatewayResponse(503);
    }
    if (!outcome.ok) {
      // An event over Lambda's 6 MB limit never reaches the function (docs/api-gateway.md §7 suggests 413). A throttled
      // invocation is answered at once, as API Gateway answers Lambda's throttling (docs/runtime.md).
      const status =
        outcome.kind === "request_too_large"
          ? 413
          : outcome.kind === "throttled" || outcome.kind === "withdrawn"
            ? (this.options.throttleStatus ?? 503)
            : 500;
      logger.warn(`${requestLabel(method, path)} ${status} function ${outcome.kind}: ${outcome.message}`);
      return gatewayResponse(status);
    }
    const mapped = mapResponse(outcome.payload, this.options.response);
    if (!mapped.ok) {
      logger.warn(`${requestLabel(method, path)} 500 malformed function response: ${mapped.reason}`);
      return gatewayResponse(500);
    }
    return mapped.response;
  }

  async listen(port: number, host = "127.0.0.1"): Promise<{ port: number; url: string }> {
    if (this.server) throw new Error("internal: gateway is already listening");
    const server = createServer({ keepAlive: true }, (req, res) => this.serve(req, res));
    server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => answerBrokenRequest(err, socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        reject(
          err.code === "EADDRINUSE"
            ? new GatehouseError("GH_ERR_PORT_IN_USE", `port ${port} on ${host} is in use; stop the other server or pick another port`)
            : err,
        );
      });
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address();
    const actual = typeof address === "object" && address ? address.port : port;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    return { port: actual, url: `http://${urlHost}:${actual}` };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /**
   * Reads the body within the process's body budget and the body timeout (refusing oversized ones early),
   * runs `handle`, writes the answer (docs/runtime.md, "Request bodies").
   */
  private serve(req: IncomingMessage, res: ServerResponse): void {
    req.on("error", () => {});
    res.on("error", () => {});
    const lengthHeader = req.headers["content-length"];
    if (lengthHeader === undefined && req.headers["transfer-encoding"] === undefined) {
      // HTTP/1.1 gives such a request no body; node:http discards the (empty) stream after the response.
      this.answer(req, res, EMPTY_BODY);
      return;
    }
    const declared = Number(lengthHeader);
    if (declared > this.maxBodyBytes) {
      this.refuseBody(req, res, 413, null);
      return;
    }
    const budget = this.bodyBudget;
    // What this request holds of the budget, given back once its response is done (or the socket is gone).
    let reserved = 0;
    if (declared > 0) {
      if (!budget.tryReserve(declared)) {
        this.refuseBody(req, res, 503, `its ${declared}-byte body does not fit in the request-body budget`);
        return;
      }
      reserved = declared;
    }
    res.once("close", () => {
      budget.release(reserved);
      reserved = 0;
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const refuse = (status: 408 | 413 | 503, reason: string | null) => {
      refused = true;
      chunks.length = 0;
      clearTimeout(timer);
      this.refuseBody(req, res, status, reason);
    };
    const timer = setTimeout(
      () => refuse(408, `its body did not arrive within ${this.bodyTimeoutMs} ms`),
      this.bodyTimeoutMs,
    );
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > this.maxBodyBytes) {
        refuse(413, null);
        return;
      }
      if (size > reserved) {
        // A chunked body (or more than declared) is counted as it arrives.
        if (!budget.tryReserve(size - reserved)) {
          refuse(503, "its body does not fit in the request-body budget");
          return;
        }
        reserved = size;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      clearTimeout(timer);
      this.answer(req, res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
  }

  /** Runs `handle` on a request whose body has been read, and writes the answer. */
  private answer(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const socket = req.socket;
    let sourceIp = socket.remoteAddress ?? "127.0.0.1";
    if (sourceIp.startsWith("::ffff:")) sourceIp = sourceIp.slice(7);
    // A client that leaves before its answer withdraws an invocation still waiting for a worker.
    const signal = new Withdrawal();
    res.once("close", () => {
      if (!res.writableFinished) signal.abort();
    });
    this.handle({
      method: req.method ?? "GET",
      rawUrl: req.url ?? "/",
      headers: req.rawHeaders,
      body,
      sourceIp,
      protocol: `HTTP/${req.httpVersion}`,
      localPort: socket.localPort,
      signal,
    }).then((response) => writeResponse(res, response));
  }

  /**
   * Refuses a body without buffering the rest (413 too large, 503 over the budget, 408 too slow); the
   * connection closes so the unread body is never parsed as a request.
   */
  private refuseBody(req: IncomingMessage, res: ServerResponse, status: 408 | 413 | 503, reason: string | null): void {
    if (reason !== null) this.options.logger.warn(`${requestLabel(req.method ?? "GET", req.url ?? "/")} ${status} refused: ${reason}`);
    const response = gatewayResponse(status, [["connection", "close"]]);
    response.headers.push(["apigw-requestid", newRequestId()]);
    writeResponse(res, response);
    res.on("finish", () => req.socket.destroySoon?.());
  }
}

function writeResponse(res: ServerResponse, response: HttpResponse): void {
  if (res.headersSent || res.destroyed) return;
  const flat: string[] = [];
  for (const [name, value] of response.headers) flat.push(name, value);
  flat.push("content-length", String(response.body.length));
  try {
    res.writeHead(response.statusCode, flat);
    res.end(response.body);
  } catch {
    // Headers were validated when mapped; this only guards a socket that died mid-write.
    res.destroy();
  }
}

function answerBrokenRequest(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
  socket.end(rawGatewayResponse(status, newRequestId()));
}

/** Request line plus header names and values, the quantity API Gateway's 10240-byte quota limits. */
function requestHeadBytes(request: GatewayRequest): number {
  let total = request.method.length + request.rawUrl.length + request.protocol.length + 2;
  for (const part of request.headers) total += part.length;
  return total;
}

function portFromHost(host: string | undefined): number {
  const match = host ? /:(\d+)$/.exec(host) : null;
  return match ? Number(match[1]) : 80;
}

/** `METHOD /path` for a log line; the path is decoded, so line breaks in it must not start new lines. */
function requestLabel(method: string, path: string): string {
  return oneLine(`${method} ${path}`);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ");
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
