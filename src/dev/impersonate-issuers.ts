import type { Manifest } from "../manifest/manifest.js";
import { issuersToImpersonate } from "./issuers-to-impersonate.js";
import { startIdentityProvider, tenantDataDir, WALKTHROUGH_CALLBACK } from "../identity/identity-provider.js";
import type { Logger } from "../log.js";

import type { ImpersonatedTenant } from "./describe-tenant.js";

export type { ImpersonatedTenant };

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
      const applications = [...provider.applications];
      tenants.push({
        issuer,
        url: provider.url,
        dataDir,
        applications,
        addApplications(clientIds) {
          for (const clientId of clientIds) {
            if (applications.some((app) => app.clientId === clientId)) continue;
            applications.push(provider.store.upsertApplication({ clientId, callbacks: [WALKTHROUGH_CALLBACK] }));
          }
        },
        close: () => provider.close(),
      });
    }
  } catch (err) {
    await Promise.all(tenants.map((tenant) => tenant.close()));
    throw err;
  }
  return tenants;
}
