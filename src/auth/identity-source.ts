/** Reading the token from an authorizer's identity source (docs/api-gateway.md §3.2 step 1). */

import type { IdentitySource } from "../app/identity-source.js";

/**
 * The token from the request, `Bearer ` prefix removed (any case; docs/api-gateway.md §3.2 leaves the case unverified),
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
