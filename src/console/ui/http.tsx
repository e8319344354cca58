/** Calls the console's JSON API; a refusal becomes an Error with the server's message. */
export async function api<T = any>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/console/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const text = await response.text();
  let value: any;
  try {
    value = JSON.parse(text);
  } catch {
    value = { message: text };
  }
  if (!response.ok) throw new Error(value?.message ?? `HTTP ${response.status}`);
  return value as T;
}

/** Pretty JSON for a <pre>. */
export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "undefined";
}

/** `12:04:31.207` in local time. */
export function clock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

export interface RequestRow {
  id: number;
  time: number;
  method: string;
  path: string;
  query: string;
  routeKey: string | null;
  status: number;
  latencyMs: number;
  requestId: string;
  apiId: string;
  verdict: { kind: "none" | "allow" | "deny"; reason: string; sub?: string };
  logCount: number;
}

export interface LogLine {
  level: string;
  text: string;
  time: number;
}

export interface BodyView {
  text: string;
  encoding: "utf8" | "base64";
  size: number;
  truncated: boolean;
}

export interface RequestDetail extends RequestRow {
  token: { header: Record<string, unknown> | null; claims: Record<string, unknown> | null; present: boolean } | null;
  request: { rawUrl: string; headers: Array<[string, string]>; body: BodyView } | null;
  event: unknown;
  eventTruncated: boolean;
  response: { headers: Array<[string, string]>; body: BodyView } | null;
  logs: LogLine[];
  detailDropped: boolean;
}

export interface RouteView {
  key: string;
  authorizationType: string;
  scopes: string[];
  authorizer: { issuer: string; audience: string[]; identitySource: string } | null;
  functionId: string;
  handler: string;
  location: string;
}

export interface AppView {
  apis: Array<{ id: string; url: string | null; routes: RouteView[] }>;
  functions: Array<{ id: string; handler: string; location: string; routes: string[] }>;
  outputs: Record<string, Record<string, string>>;
}

export interface TenantView {
  index: number;
  label: string;
  issuer: string;
  url: string;
  users: Array<{ id: string; email: string; name: string; createdAt: string; passwordKnown: boolean }>;
  applications: Array<{ clientId: string; name: string; callbacks: string[]; logoutUrls: string[]; webOrigins: string[] }>;
  keys: Array<{ kid: string; createdAt: number; retiredAt?: number }>;
}
