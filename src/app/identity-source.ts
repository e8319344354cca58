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
