import { readFileSync, statSync } from "node:fs";
import { relative } from "node:path";
import { addGatewayHeaders, buildEvent, type PayloadV2Event } from "../gateway/build-event.js";
import { clfTime } from "../gateway/clf-time.js";
import type { ApiManifest, FunctionManifest, Manifest, RouteManifest } from "../manifest/manifest.js";

/** One route as the console lists it. */
export interface RouteView {
  key: string;
  authorizationType: RouteManifest["authorizationType"];
  scopes: string[];
  /** The authorizer's issuer and audiences, for JWT routes. */
  authorizer: { issuer: string; audience: string[]; identitySource: string } | null;
  functionId: string;
  handler: string;
  /** `src/private.js:1`, relative to the app's root. */
  location: string;
}

/** The app as the console shows it: each Api with its URL and routes, the functions and the outputs. */
export interface AppView {
  apis: Array<{ id: string; url: string | null; routes: RouteView[] }>;
  functions: Array<{ id: string; handler: string; location: string; routes: string[] }>;
  outputs: Record<string, Record<string, string>>;
}

/** Builds the app view from the manifest (the only description of the app the console reads). */
export function describeApp(
  manifest: Manifest,
  endpoints: Record<string, string>,
  outputs: Record<string, Record<string, string>>,
  root: string,
): AppView {
  const locate = (fn: FunctionManifest | undefined) => (fn ? handlerLocation(fn, root) : "(unknown function)");
  const apis = manifest.apis.map((api) => ({
    id: api.id,
    url: endpoints[api.id] ?? null,
    routes: api.routes.map((route) => routeView(api, route, manifest, locate)),
  }));
  const functions = Object.values(manifest.functions).map((fn) => ({
    id: fn.id,
    handler: fn.handler,
    location: locate(fn),
    routes: manifest.apis.flatMap((api) => api.routes.filter((route) => route.functionId === fn.id).map((route) => route.key)),
  }));
  return { apis, functions, outputs };
}

function routeView(api: ApiManifest, route: RouteManifest, manifest: Manifest, locate: (fn: FunctionManifest | undefined) => string): RouteView {
  const id = route.authorizerId;
  const authorizer = id && Object.hasOwn(api.authorizers, id) ? api.authorizers[id] : undefined;
  const fn = Object.hasOwn(manifest.functions, route.functionId) ? manifest.functions[route.functionId] : undefined;
  return {
    key: route.key,
    authorizationType: route.authorizationType,
    scopes: route.authorizationScopes,
    authorizer: authorizer?.type === "JWT" ? { issuer: authorizer.issuer, audience: authorizer.audience, identitySource: authorizer.identitySource } : null,
    functionId: route.functionId,
    handler: fn?.handler ?? route.functionId,
    location: locate(fn),
  };
}

const locations = new Map<string, { mtimeMs: number; line: number }>();

/** `file:line` of the handler's export in its source file (line 1 when the export is not found by sight). */
export function handlerLocation(fn: FunctionManifest, root: string): string {
  const file = relative(root, fn.entry);
  try {
    const mtimeMs = statSync(fn.entry).mtimeMs;
    const key = `${fn.entry}#${fn.exportName}`;
    const cached = locations.get(key);
    if (cached?.mtimeMs === mtimeMs) return `${file}:${cached.line}`;
    const line = exportLine(readFileSync(fn.entry, "utf8"), fn.exportName);
    locations.set(key, { mtimeMs, line });
    return `${file}:${line}`;
  } catch {
    return file;
  }
}

/** The line declaring `export … name` (function, const, let, class, or an export list naming it). */
export function exportLine(source: string, name: string): number {
  const escaped = name.replace(/[$]/g, "\\$");
  const patterns = [
    new RegExp(`^\\s*export\\s+(async\\s+)?function\\s*\\*?\\s*${escaped}\\b`),
    new RegExp(`^\\s*export\\s+(const|let|var|class)\\s+${escaped}\\b`),
    new RegExp(`^\\s*export\\s*\\{[^}]*\\b${escaped}\\b`),
    /^\s*export\s+default\b/,
  ];
  const lines = source.split("\n");
  for (const pattern of name === "default" ? patterns.slice(3) : patterns.slice(0, 3)) {
    const index = lines.findIndex((line) => pattern.test(line));
    if (index >= 0) return index + 1;
  }
  return 1;
}

/** An event like the one the gateway would build for a request on this route, to edit and invoke. */
export function sampleEvent(route: RouteManifest | undefined, url: string | null): PayloadV2Event | Record<string, never> {
  if (!route) return {};
  const path = (route.path ?? "/").replace(/\{([^}+]+)\+?\}/g, (_, name: string) => `example-${name}`);
  const host = url ? new URL(url).host : "127.0.0.1";
  const headers: Record<string, string> = { host, "user-agent": "gatehouse-console", accept: "*/*" };
  const now = Date.now();
  addGatewayHeaders(headers, { sourceIp: "127.0.0.1", port: Number(url ? new URL(url).port : 80), proto: "http", epochMs: now, newTraceId: () => "Root=1-00000000-000000000000000000000000", bodyLength: 0 });
  const pathParameters: Record<string, string> = {};
  for (const match of (route.path ?? "").matchAll(/\{([^}+]+)\+?\}/g)) pathParameters[match[1]] = `example-${match[1]}`;
  return buildEvent({
    routeKey: route.key,
    method: route.method ?? "GET",
    path,
    rawQueryString: "",
    headers,
    cookies: [],
    queryStringParameters: null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    body: Buffer.alloc(0),
    apiId: "console",
    requestId: "console-invoke",
    protocol: "HTTP/1.1",
    sourceIp: "127.0.0.1",
    stage: "$default",
    time: clfTime(now),
    timeEpoch: now,
    authorizer: route.authorizationType === "JWT" ? { claims: { sub: "console|example" }, scopes: null } : undefined,
  });
}
