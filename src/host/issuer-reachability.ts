import { discoveryUrlOf } from "../app/issuer-url.js";
import type { Manifest } from "../manifest/manifest.js";
import { hasTokens } from "../manifest/tokens.js";

/** How long a deploy waits for each issuer's discovery document before warning (GATEHOUSE_ISSUER_CHECK_MS overrides). */
export const ISSUER_CHECK_TIMEOUT_MS = 3000;

export interface UnreachableIssuer {
  issuer: string;
  /** What went wrong, for the warning: a timeout, a DNS or connection error, or an HTTP status. */
  reason: string;
}

/**
 * The issuers a manifest's JWT authorizers trust that do not serve their discovery document from this
 * machine within `timeoutMs` (all asked at once, so the whole check takes at most about `timeoutMs`). A
 * deployed stage verifies tokens against these issuers; one that cannot be reached authorizes nothing.
 * Issuers naming a stage's own tenant (tokens) are served by the stage itself and not checked.
 */
export async function unreachableIssuers(
  manifest: Manifest,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<UnreachableIssuer[]> {
  const timeoutMs = options.timeoutMs ?? ISSUER_CHECK_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? fetch;
  const issuers = new Set(manifest.apis.flatMap((api) => Object.values(api.authorizers).flatMap((authorizer) => (authorizer.type === "JWT" ? [authorizer.issuer] : []))));
  const checks = [...issuers]
    .filter((issuer) => !hasTokens(issuer))
    .map(async (issuer): Promise<UnreachableIssuer | null> => {
      let url: string;
      try {
        url = discoveryUrlOf(new URL(issuer));
      } catch {
        return { issuer, reason: "not a URL" };
      }
      try {
        const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
        await response.body?.cancel();
        return response.ok ? null : { issuer, reason: `its discovery document answered HTTP ${response.status}` };
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code;
        const timedOut = (err as Error).name === "TimeoutError";
        return { issuer, reason: timedOut ? `no answer within ${timeoutMs} ms` : (cause ?? (err as Error).message) };
      }
    });
  return (await Promise.all(checks)).filter((found): found is UnreachableIssuer => found !== null);
}
