import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseIdentitySource } from "../app/identity-source.js";
import { GatehouseError, isGatehouseError } from "../errors.js";
import type { Logger } from "../log.js";
import type { Manifest } from "../manifest/manifest.js";
import type { Invoker } from "../runtime/types.js";
import { cookieToken, isOwnHost, isOwnOrigin, isSessionToken, sessionCookie } from "./console-guard.js";
import { describeApp, sampleEvent } from "./describe-app.js";
import { detailOf, pairs, rowOf } from "./entry-views.js";
import { EventStream, type EventStreamOptions } from "./event-stream.js";
import type { RequestJournal } from "./request-journal.js";
import { sendRequest } from "./send-request.js";
import type { ConsoleTenant, TenantDesk } from "./tenant-desk.js";

/** What the console reads of a running dev session; it changes nothing but identity data and sends requests. */
export interface ConsoleSource {
  /** The app's root folder (handler locations are shown relative to it). */
  root: string;
  manifest(): Manifest;
  /** Each Api's base URL, keyed by manifest id. */
  endpoints(): Record<string, string>;
  outputs(): Record<string, Record<string, string>>;
  invoker: Invoker;
  tenants(): ConsoleTenant[];
}

export interface ConsoleServerOptions {
  source: ConsoleSource;
  journal: RequestJournal;
  logger: Logger;
  /** The session token (default: 24 random bytes). */
  token?: string;
  /** Where the built page lives (default: `ui/` next to this module, as scripts/build.mjs writes it). */
  assetsDir?: string;
  stream?: EventStreamOptions;
}

const ASSET_TYPES: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
};
const MAX_BODY_BYTES = 1024 * 1024;
// The page needs nothing from elsewhere; the token must never leave in a Referer.
const PAGE_HEADERS = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

/**
 * The dev console's server: the built page, a JSON API over the session, and an event stream of requests.
 * Loopback only; every request must carry the session's cookie (set by opening the printed link) and name
 * the console itself as Host and, when present, Origin. It serves nothing of the app's Apis.
 */
export class ConsoleServer {
  readonly token: string;
  private server: Server | null = null;
  private port = 0;
  private readonly stream: EventStream;
  // Loaded on first use: it brings SQLite, which apps without an identity tenant never need at start.
  private desk: Promise<TenantDesk> | undefined;
  private readonly assetsDir: string;
  private readonly assets = new Map<string, Buffer>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: ConsoleServerOptions) {
    this.token = options.token ?? randomBytes(24).toString("base64url");
    this.assetsDir = options.assetsDir ?? fileURLToPath(new URL("./ui/", import.meta.url));
    this.stream = new EventStream(options.stream);
    this.unsubscribe = options.journal.subscribe((event) => {
      if (this.stream.size === 0) return;
      if (event.type === "request") this.stream.publish("request", event.entry, rowOf);
      else this.stream.publish("log", { id: event.entry.id, line: event.line });
    });
  }

  /** Listens on 127.0.0.1; returns the link to print (it carries the token). */
  async listen(port: number): Promise<{ port: number; url: string }> {
    const server = createServer((req, res) => this.serve(req, res));
    server.on("clientError", (_err, socket: Socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) =>
        reject(
          err.code === "EADDRINUSE"
            ? new GatehouseError("GH_ERR_PORT_IN_USE", `console port ${port} on 127.0.0.1 is in use; pick another with --console-port, or --no-console`)
            : err,
        ),
      );
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return { port: this.port, url: `http://127.0.0.1:${this.port}/?token=${this.token}` };
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.stream.close();
    const server = this.server;
    this.server = null;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    (await this.desk)?.close();
  }

  private tenantDesk(): Promise<TenantDesk> {
    this.desk ??= import("./tenant-desk.js").then(({ TenantDesk }) => new TenantDesk(() => this.options.source.tenants()));
    return this.desk;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    req.on("error", () => {});
    res.on("error", () => {});
    if (!isOwnHost(req.headers.host, this.port) || !isOwnOrigin(req.headers.origin, this.port)) {
      refuse(res, 403, "Forbidden");
      return;
    }
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${this.port}`);
    if (req.method === "GET" && url.pathname === "/" && url.searchParams.has("token")) {
      if (!isSessionToken(url.searchParams.get("token"), this.token)) {
        refuse(res, 401, "This console link is not valid (it changes each time gatehouse dev starts).");
        return;
      }
      // The token leaves the address bar at once; from here on the cookie carries it.
      res.writeHead(303, { location: "/", "set-cookie": sessionCookie(this.token), ...PAGE_HEADERS }).end();
      return;
    }
    if (!isSessionToken(cookieToken(req.headers.cookie), this.token)) {
      refuse(res, 401, "Open the console with the link gatehouse dev printed.");
      return;
    }
    this.route(req, res, url).catch((err) => this.fail(res, err));
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? "GET";
    const path = url.pathname;
    if (method === "GET" && (path === "/" || path === "/app.js" || path === "/app.css")) return this.asset(res, path === "/" ? "index.html" : path.slice(1));
    if (!path.startsWith("/console/")) return refuse(res, 404, "Not found");
    if (method !== "GET" && method !== "POST") return refuse(res, 405, "Method not allowed");
    // A JSON content type cannot be sent cross-site without a preflight, which the console never answers.
    if (method === "POST" && !/^application\/json\b/.test(req.headers["content-type"] ?? "")) return refuse(res, 415, "Send JSON");
    const parts = path.slice("/console/".length).split("/").map(decodeURIComponent);
    const body = method === "POST" ? await readJson(req) : {};
    const { source, journal } = this.options;
    const key = `${method} ${parts[0]}`;

    switch (key) {
      case "GET events":
        this.stream.attach(res);
        return;
      case "GET requests":
        if (parts.length === 1) return json(res, 200, journal.entries().map(rowOf));
        if (parts.length === 2) return json(res, 200, detailOf(this.entry(parts[1])));
        if (parts.length === 3 && parts[2] === "token") return json(res, 200, { raw: this.entry(parts[1]).record.detail?.token?.raw ?? null });
        break;
      case "POST requests":
        if (parts.length === 3 && parts[2] === "replay") return json(res, 200, await this.replay(parts[1], body));
        break;
      case "GET app":
        return json(res, 200, describeApp(source.manifest(), source.endpoints(), source.outputs(), source.root));
      case "GET sample-event":
        return json(res, 200, this.sampleEvent(url.searchParams.get("function") ?? ""));
      case "POST invoke":
        return json(res, 200, await this.invoke(body));
      case "POST call":
        return json(res, 200, await this.call(body));
      case "GET tenants":
        if (parts.length === 1) return json(res, 200, await (await this.tenantDesk()).list());
        if (parts.length === 4 && parts[2] === "secret") return json(res, 200, { secret: (await this.tenantDesk()).secret(index(parts[1]), parts[3]) });
        break;
      case "POST tenants":
        return json(res, 200, await this.tenantAction(parts.slice(1), body));
    }
    refuse(res, 404, "Not found");
  }

  private async tenantAction(parts: string[], body: Record<string, unknown>): Promise<unknown> {
    const tenant = index(parts[0]);
    const desk = await this.tenantDesk();
    switch (parts[1]) {
      case "add-user":
        return desk.addUser(tenant, body.email as string, body.password as string);
      case "remove-user":
        desk.removeUser(tenant, body.userId as string);
        return { ok: true };
      case "reset-password":
        await desk.resetPassword(tenant, body.userId as string, body.password as string);
        return { ok: true };
      case "update-application":
        return desk.updateApplication(tenant, body.clientId as string, body);
      case "rotate-keys":
        return { kid: await desk.rotateKeys(tenant) };
      case "login":
        return desk.login(tenant, body as { userId: string; clientId: string });
    }
    throw new GatehouseError("GH_ERR_CONSOLE_INVALID", `unknown identity action ${parts[1]}`);
  }

  /** Sends a recorded request again, with the page's edits (headers, body, token). */
  private async replay(id: string, body: Record<string, unknown>) {
    const record = this.entry(id).record;
    const detail = record.detail;
    if (!detail) throw new GatehouseError("GH_ERR_CONSOLE_INVALID", "this request was recorded without its detail and cannot be replayed");
    const baseUrl = this.options.source.endpoints()[record.apiId];
    if (!baseUrl) throw new GatehouseError("GH_ERR_CONSOLE_INVALID", `the Api ${record.apiId} is no longer served`);
    const tokenHeader = this.tokenHeader(record.apiId, record.routeKey) ?? "authorization";
    const original = pairs(detail.headers);
    let headers = original;
    if (body.headers !== undefined) {
      // The page never shows the token header (the raw token is revealed only on demand): edited headers
      // without it keep the one originally sent.
      headers = headerList(body.headers);
      if (!headers.some(([name]) => name.toLowerCase() === tokenHeader)) {
        headers.push(...original.filter(([name]) => name.toLowerCase() === tokenHeader));
      }
    }
    return sendRequest({
      baseUrl,
      method: record.method,
      target: detail.rawUrl,
      headers,
      body: typeof body.body === "string" ? body.body : detail.requestBody.body.toString("utf8"),
      token: typeof body.token === "string" && body.token !== "" ? body.token : undefined,
      tokenHeader,
    });
  }

  /** A request to one of the Apis built by the page ("act as a user"). */
  private async call(body: Record<string, unknown>) {
    const apiId = typeof body.apiId === "string" ? body.apiId : Object.keys(this.options.source.endpoints())[0];
    const baseUrl = this.options.source.endpoints()[apiId ?? ""];
    if (!baseUrl) throw new GatehouseError("GH_ERR_CONSOLE_INVALID", `no Api ${apiId} is served`);
    return sendRequest({
      baseUrl,
      method: typeof body.method === "string" ? body.method.toUpperCase() : "GET",
      target: typeof body.path === "string" ? body.path : "/",
      headers: body.headers === undefined ? [] : headerList(body.headers),
      body: typeof body.body === "string" ? body.body : undefined,
      token: typeof body.token === "string" && body.token !== "" ? body.token : undefined,
      tokenHeader: typeof body.routeKey === "string" ? this.tokenHeader(apiId, body.routeKey) : undefined,
    });
  }

  /** Invokes a function directly (no gateway) and returns its outcome with the lines it logged. */
  private async invoke(body: Record<string, unknown>) {
    const functionId = typeof body.functionId === "string" ? body.functionId : "";
    if (!Object.hasOwn(this.options.source.manifest().functions, functionId)) {
      throw new GatehouseError("GH_ERR_CONSOLE_INVALID", `no function ${functionId}`);
    }
    const requestId = randomUUID();
    const started = performance.now();
    const outcome = await this.options.source.invoker.invoke(functionId, body.event ?? {}, { requestId });
    return { requestId, durationMs: Math.round(performance.now() - started), outcome, logs: this.options.journal.takeLines(requestId) };
  }

  private sampleEvent(functionId: string) {
    const manifest = this.options.source.manifest();
    for (const api of manifest.apis) {
      const route = api.routes.find((candidate) => candidate.functionId === functionId);
      if (route) return sampleEvent(route, this.options.source.endpoints()[api.id] ?? null);
    }
    return {};
  }

  /** The header a route's authorizer reads its token from, when it reads one from a header. */
  private tokenHeader(apiId: string, routeKey: string | null): string | undefined {
    const api = this.options.source.manifest().apis.find((candidate) => candidate.id === apiId);
    const route = api?.routes.find((candidate) => candidate.key === routeKey);
    const authorizer = route?.authorizerId && api && Object.hasOwn(api.authorizers, route.authorizerId) ? api.authorizers[route.authorizerId] : undefined;
    const source = authorizer?.type === "JWT" ? parseIdentitySource(authorizer.identitySource) : null;
    return source?.in === "header" ? source.name.toLowerCase() : undefined;
  }

  private entry(id: string) {
    const entry = this.options.journal.get(Number(id));
    if (!entry) throw new GatehouseError("GH_ERR_CONSOLE_INVALID", `request #${id} is no longer kept (the console keeps the last 1000)`);
    return entry;
  }

  private asset(res: ServerResponse, name: string): void {
    let content = this.assets.get(name);
    if (!content) {
      try {
        content = readFileSync(join(this.assetsDir, name));
      } catch {
        refuse(res, 500, "The console page is not built: run npm run build.");
        return;
      }
      this.assets.set(name, content);
    }
    res.writeHead(200, { "content-type": ASSET_TYPES[name], "content-length": content.length, ...PAGE_HEADERS }).end(content);
  }

  private fail(res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (isGatehouseError(err)) {
      json(res, 400, { error: err.code, message: err.message });
      return;
    }
    this.options.logger.error(`console: ${(err as Error).stack ?? err}`);
    json(res, 500, { error: "internal", message: (err as Error).message ?? String(err) });
  }
}

function index(text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new GatehouseError("GH_ERR_CONSOLE_INVALID", `"${text}" is not a tenant number`);
  return value;
}

/** Headers from the page: `{ name: value }` or `[[name, value], …]`. */
function headerList(value: unknown): Array<[string, string]> {
  if (Array.isArray(value)) return value.filter((pair) => Array.isArray(pair) && pair.length === 2).map(([name, v]) => [String(name), String(v)]);
  if (value && typeof value === "object") return Object.entries(value).map(([name, v]) => [name, String(v)]);
  throw new GatehouseError("GH_ERR_CONSOLE_INVALID", "headers must be an object of names to values");
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new GatehouseError("GH_ERR_CONSOLE_INVALID", "the request body is larger than 1 MB");
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new GatehouseError("GH_ERR_CONSOLE_INVALID", "the request body is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new GatehouseError("GH_ERR_CONSOLE_INVALID", "the request body must be a JSON object");
  return value as Record<string, unknown>;
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": body.length, "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(body);
}

/** A refusal says what to do and nothing about the session. */
function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" }).end(`${message}\n`);
}
