import type { HttpMethod } from "./manifest.js";

const METHODS = new Set<HttpMethod>(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]);

export type ParsedRouteKey =
  | { ok: true; key: string; method: HttpMethod | null; path: string | null }
  | { ok: false; problem: string };

/**
 * Parses an API Gateway route key (`"$default"` or `"METHOD /path"`), applying the rules API Gateway applies
 * when a route is created: whole-segment `{var}`, greedy `{var+}` only last, no trailing slash.
 */
export function parseRouteKey(raw: string): ParsedRouteKey {
  const key = raw.trim();
  if (key === "$default") return { ok: true, key, method: null, path: null };
  const match = /^(\S+)\s+(\S+)$/.exec(key);
  if (!match) return { ok: false, problem: `"${raw}" is not "METHOD /path" or "$default"` };
  const method = match[1].toUpperCase() as HttpMethod;
  const path = match[2];
  if (!METHODS.has(method)) {
    return { ok: false, problem: `"${match[1]}" is not one of ${[...METHODS].join(", ")}` };
  }
  if (!path.startsWith("/")) return { ok: false, problem: `the path "${path}" must start with "/"` };
  if (path.length > 1 && path.endsWith("/")) return { ok: false, problem: `invalid route name ending in / ("${path}")` };
  const segments = path.slice(1).split("/");
  for (const [index, segment] of segments.entries()) {
    if (segment === "" && path !== "/") return { ok: false, problem: `the path "${path}" has an empty segment` };
    if (!segment.includes("{") && !segment.includes("}")) continue;
    const variable = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(segment);
    if (!variable) {
      return { ok: false, problem: `"${segment}" in "${path}": a path variable must be a whole segment, like {id}` };
    }
    if (variable[2] === "+" && index !== segments.length - 1) {
      return { ok: false, problem: `"${segment}" in "${path}": a greedy variable {name+} must be the last segment` };
    }
  }
  return { ok: true, key: `${method} ${path}`, method, path };
}
