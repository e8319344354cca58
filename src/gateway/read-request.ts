import { getOwn, setOwn } from "./own-record.js";

/** Request headers as the payload 2.0 event carries them, with the cookies taken out. */
export interface CollectedHeaders {
  /** Lowercase names; duplicates joined with `,` (no space). No `cookie` entry. */
  headers: Record<string, string>;
  /** One entry per cookie pair across every Cookie header. */
  cookies: string[];
}

// The gateway terminates the client connection and re-frames the body with a length, so connection-level
// headers from the client never reach Lambda.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"]);

/** Turns Node's raw header pairs into the event's `headers` and `cookies` (docs/api-gateway.md §4). */
export function collectHeaders(rawHeaders: string[]): CollectedHeaders {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = rawHeaders[i + 1];
    if (HOP_BY_HOP.has(name)) continue;
    if (name === "cookie") {
      // AWS splits on "; " exactly, as browsers send it.
      for (const pair of value.split("; ")) if (pair !== "") cookies.push(pair);
      continue;
    }
    const existing = getOwn(headers, name);
    setOwn(headers, name, existing === undefined ? value : `${existing},${value}`);
  }
  return { headers, cookies };
}

/** A request target split at the first `?`; null for targets that are not a path (`*`, garbage). */
export function splitTarget(rawUrl: string): { path: string; query: string } | null {
  let target = rawUrl;
  if (!target.startsWith("/")) {
    // Absolute-form (`GET http://host/path`) is legal HTTP/1.1; keep only the path and query.
    const scheme = /^https?:\/\/[^/?#]*/i.exec(target);
    if (!scheme) return null;
    target = target.slice(scheme[0].length);
    if (!target.startsWith("/")) target = `/${target}`;
  }
  const hash = target.indexOf("#");
  if (hash >= 0) target = target.slice(0, hash);
  const question = target.indexOf("?");
  if (question < 0) return { path: target, query: "" };
  return { path: target.slice(0, question), query: target.slice(question + 1) };
}

const ENCODED_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

function decodeLenient(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Malformed escapes (`%zz`, a lone `%E2`) stay as sent instead of failing the request.
    return text.replace(ENCODED_RUN, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * The URL-decoded path HTTP APIs hand to Lambda and route on (docs/api-gateway.md §2.3): `%2F` becomes `/`, `+` stays `+`.
 * Not emulated: AWS reportedly truncates the path at a decoded `?`; keeping it is less surprising locally.
 */
export function decodePath(path: string): string {
  return path.includes("%") ? decodeLenient(path) : path;
}

/**
 * `queryStringParameters`: decoded keys and values, duplicates joined with `,`; null when there are none.
 * `+` decodes to a space, as API Gateway does (aws/aws-cdk#19827).
 */
export function parseQueryString(query: string): Record<string, string> | null {
  if (query === "") return null;
  let parameters: Record<string, string> | null = null;
  for (const part of query.split("&")) {
    if (part === "") continue;
    const equals = part.indexOf("=");
    const rawKey = equals < 0 ? part : part.slice(0, equals);
    const rawValue = equals < 0 ? "" : part.slice(equals + 1);
    const key = decodeQueryComponent(rawKey);
    const value = decodeQueryComponent(rawValue);
    parameters ??= {};
    const existing = getOwn(parameters, key);
    setOwn(parameters, key, existing === undefined ? value : `${existing},${value}`);
  }
  return parameters;
}

function decodeQueryComponent(text: string): string {
  if (text.includes("+")) text = text.replaceAll("+", " ");
  return text.includes("%") ? decodeLenient(text) : text;
}
