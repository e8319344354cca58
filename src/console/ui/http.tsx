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

// The wire shapes are the server's own types (type-only imports: nothing of the server reaches the page).
export type { AppView, RouteView } from "../describe-app.js";
export type { BodyView, RequestDetailView as RequestDetail, RequestRow } from "../entry-views.js";
export type { JournalLogLine as LogLine } from "../request-journal.js";
export type { TenantView } from "../tenant-desk.js";
