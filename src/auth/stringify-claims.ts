/**
 * Claims as API Gateway hands them to Lambda (docs/api-gateway.md §3.4): every value a string. Numbers and booleans
 * are stringified, arrays become Go-style `"[a b]"` (not JSON), nested objects JSON text, nulls are left out.
 */

/** Every non-null claim of `payload`, stringified the way API Gateway does. */
export function stringifyClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const name of Object.keys(payload)) {
    const value = payload[name];
    if (value === null || value === undefined) continue;
    // A claim named `__proto__` is data like any other; plain assignment would drop it.
    Object.defineProperty(claims, name, { value: stringifyClaim(value), enumerable: true, writable: true, configurable: true });
  }
  return claims;
}

/** One claim value as API Gateway stringifies it. */
export function stringifyClaim(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(stringifyArrayElement).join(" ")}]`;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * Spec silent on elements that are not scalars; Go's fmt (which yields the `[a b]` form) prints nested
 * arrays the same way, so we do too, while objects stay JSON text as at the top level and nulls print as Go's `<nil>`.
 */
function stringifyArrayElement(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  return stringifyClaim(value);
}
