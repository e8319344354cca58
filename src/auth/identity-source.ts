/** Reading the token from an authorizer's identity source (spec §3.1, §3.2 step 1). */

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

/**
 * The token from the request, `Bearer ` prefix removed (any case; spec §3.2 leaves the case unverified),
 * or null when the source is missing or empty. Header names are matched case-insensitively.
 */
export function readToken(
  source: IdentitySource,
  headers: Record<string, string>,
  query: Record<string, string>,
): string | null {
  const raw = source.in === "header" ? headers[source.name.toLowerCase()] : query[source.name];
  if (typeof raw !== "string") return null;
  let value = raw.trim();
  if (value.length >= 6 && /^bearer(\s|$)/i.test(value)) value = value.slice(6).trim();
  return value === "" ? null : value;
}
