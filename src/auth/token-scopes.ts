/** The scopes a token grants, as API Gateway reads them (docs/api-gateway.md §3.2 and §3.4). */

/**
 * The token's full scope list: `scp` (array, or space-separated string) wins over `scope`
 * (space-separated); empty when neither is usable.
 */
export function tokenScopes(payload: Record<string, unknown>): string[] {
  const scp = payload.scp;
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === "string" && s !== "");
  if (typeof scp === "string") return splitScopes(scp);
  const scope = payload.scope;
  if (typeof scope === "string") return splitScopes(scope);
  // Spec silent on array-valued `scope`; AWS documents it as an OAuth space-separated string only.
  return [];
}

/** True when the token holds at least one of the route's scopes (an empty route list always passes). */
export function hasAnyScope(granted: readonly string[], required: readonly string[]): boolean {
  if (required.length === 0) return true;
  for (const scope of required) if (granted.includes(scope)) return true;
  return false;
}

function splitScopes(text: string): string[] {
  return text.split(/\s+/).filter((s) => s !== "");
}
