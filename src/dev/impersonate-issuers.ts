import type { Manifest } from "../app/manifest.js";
import { isLoopbackHostname } from "../auth/loopback-url.js";
import { startIdentityProvider, tenantDataDir } from "../identity/identity-provider.js";
import type { Logger } from "../log.js";

import type { ImpersonatedTenant } from "./describe-tenant.js";

export type { ImpersonatedTenant };

/** Every non-loopback issuer the app's authorizers name, with the audiences asked of it. */
export function issuersToImpersonate(manifest: Manifest): Map<string, string[]> {
  const issuers = new Map<string, string[]>();
  for (const api of manifest.apis) {
    for (const authorizer of Object.values(api.authorizers)) {
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

/**
 * Starts an embedded provider for each issuer the app names, so tokens carry that exact `iss` offline. Each
 * audience becomes an application with that client id.
 */
export async function startImpersonation(
  manifest: Manifest,
  options: { stateDir: string; basePort: number; logger: Logger },
): Promise<ImpersonatedTenant[]> {
  const tenants: ImpersonatedTenant[] = [];
  let index = 0;
  try {
    for (const [issuer, audiences] of issuersToImpersonate(manifest)) {
      const dataDir = tenantDataDir(options.stateDir, issuer);
      const provider = await startIdentityProvider({
        issuer,
        dataDir,
        port: options.basePort === 0 ? 0 : options.basePort + index++,
        // Each gets the walkthrough's callback, http://localhost:5678, from the provider itself.
        applications: audiences.map((clientId) => ({ clientId })),
        logger: options.logger,
      });
      tenants.push({ issuer, url: provider.url, dataDir, applications: provider.applications, close: () => provider.close() });
    }
  } catch (err) {
    await Promise.all(tenants.map((tenant) => tenant.close()));
    throw err;
  }
  return tenants;
}
