import type { HttpMethod } from "./manifest.js";

/** The methods a route key may name (API Gateway's list; `ANY` matches the rest). */
export const ROUTE_METHODS: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];

/** One segment of a route path: a literal, a `{var}` or the greedy `{var+}` (always last). */
export type RouteSegment =
  | { kind: "literal"; value: string }
  | { kind: "var"; name: string }
  | { kind: "greedy"; name: string };

/** A route key split into its parts. `$default` has no method and no path. */
export type ParsedRouteKey =
  | { isDefault: true; key: "$default" }
  | { isDefault: false; key: string; method: HttpMethod; path: string; segments: RouteSegment[] };

/** The outcome of `parseRouteKey`: the parts, or a message saying what is wrong with the key. */
export type RouteKeyParseResult = { ok: true; route: ParsedRouteKey } | { ok: false; error: string };

// AWS documents no character set for variable names; these are the ones CloudFormation examples use.
const VARIABLE_NAME = /^[A-Za-z0-9_.-]+$/;

/** Validates a route key (`"GET /pets/{id}"`, `"ANY /{proxy+}"`, `"$default"`) as API Gateway does at creation. */
export function parseRouteKey(key: string): RouteKeyParseResult {
  if (key === "$default") return { ok: true, route: { isDefault: true, key: "$default" } };
  const space = key.indexOf(" ");
  if (space < 0) return fail(key, 'expected "<METHOD> /<path>" or "$default"');
  const method = key.slice(0, space);
  const path = key.slice(space + 1);
  if (!(ROUTE_METHODS as readonly string[]).includes(method)) {
    return fail(key, `unknown method "${method}" (use one of ${ROUTE_METHODS.join(", ")})`);
  }
  if (!path.startsWith("/")) return fail(key, 'the path must start with "/"');
  if (path.length > 1 && path.endsWith("/")) return fail(key, "invalid route name ending in /");
  const segments: RouteSegment[] = [];
  const names = new Set<string>();
  const parts = path === "/" ? [] : path.slice(1).split("/");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === "") return fail(key, "the path has an empty segment (//)");
    if (!part.includes("{") && !part.includes("}")) {
      if (/\s/.test(part)) return fail(key, `segment "${part}" contains whitespace`);
      segments.push({ kind: "literal", value: part });
      continue;
    }
    if (!part.startsWith("{") || !part.endsWith("}")) {
      return fail(key, `path variable "${part}" must take a whole segment, like /{id}`);
    }
    const greedy = part.endsWith("+}");
    const name = part.slice(1, greedy ? -2 : -1);
    if (!VARIABLE_NAME.test(name)) return fail(key, `invalid path variable name in "${part}"`);
    if (names.has(name)) return fail(key, `path variable "${name}" appears twice`);
    names.add(name);
    if (greedy && i !== parts.length - 1) return fail(key, `greedy variable "${part}" must be the last segment`);
    segments.push(greedy ? { kind: "greedy", name } : { kind: "var", name });
  }
  return { ok: true, route: { isDefault: false, key, method: method as HttpMethod, path, segments } };
}

function fail(key: string, reason: string): RouteKeyParseResult {
  return { ok: false, error: `invalid route key "${key}": ${reason}` };
}
