import type { Manifest } from "../manifest/manifest.js";
import { isLoopbackHostname } from "../app/issuer-url.js";

/** Every non-loopback issuer the app's authorizers name, with the audiences asked of it. */
export function issuersToImpersonate(manifest: Manifest): Map<string, string[]> {
  const issuers = new Map<string, string[]>();
  for (const api of manifest.apis) {
    for (const authorizer of Object.values(api.authorizers)) {
      if (authorizer.type !== "JWT") continue;
      let hostname: string;
      try {
        hostname = new URL(authorizer.issuer).hostname;
      } catch {
        continue;
      }
      if (isLoopbackHostname(hostname)) continue;
      const audiences = issuers.get(authorizer.issuer) ?? [];
      for (const audience of authorizer.audience) if (!audiences.includes(audience)) audiences.push(audience);
      issuers.set(authorizer.issuer, audiences);
    }
  }
  return issuers;
}
