/** An authorizer's identity source, as API Gateway accepts it (docs/api-gateway.md §3.1). */

export type IdentitySource = { in: "header" | "querystring"; name: string };

const SOURCE = /^\$request\.(header|querystring)\.(.+)$/;
const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Parses `$request.header.<Name>` or `$request.querystring.<name>`; null when it is neither. */
export function parseIdentitySource(text: string): IdentitySource | null {
  const match = SOURCE.exec(text);
  if (!match) return null;
  const [, where, name] = match as unknown as [string, "header" | "querystring", string];
  if (where === "header" && !TOKEN_CHARS.test(name)) return null;
  if (/\s/.test(name)) return null;
  return { in: where, name };
}

/** A Lambda authorizer's identity source (spec: four forms). */
export type RequestIdentitySource = IdentitySource | { in: "context" | "stageVariables"; name: string };

const REQUEST_SOURCE = /^\$(context|stageVariables)\.([A-Za-z0-9_.-]+)$/;

/** Parses any identity source a Lambda authorizer accepts; null when it is none of them. */
export function parseRequestIdentitySource(text: string): RequestIdentitySource | null {
  const request = parseIdentitySource(text);
  if (request) return request;
  const match = REQUEST_SOURCE.exec(text);
  return match ? { in: match[1] as "context" | "stageVariables", name: match[2] } : null;
}
