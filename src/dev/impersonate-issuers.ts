import type { ApplicationUrls } from "../app/load-config.js";
import type { Manifest } from "../manifest/manifest.js";
import { issuersToImpersonate } from "../serve/issuers-to-impersonate.js";
import { startIdentityProvider, tenantDataDir, WALKTHROUGH_CALLBACK } from "../identity/identity-provider.js";
import type { Logger } from "../log.js";

import type { ImpersonatedTenant } from "./describe-tenant.js";

export type { ImpersonatedTenant };

/**
 * Starts an embedded provider for each issuer the app names, so tokens carry that exact `iss` offline. Each
 * audience becomes an application with that client id, named after the app (the login page shows the name),
 * allowing the walkthrough's callback plus the URLs of sst.json's `gatehouse` section.
 */
export async function startImpersonation(
  manifest: Manifest,
  options: { stateDir: string; basePort: number; logger: Logger; appName: string; urls: ApplicationUrls },
): Promise<ImpersonatedTenant[]> {
  const seed = (clientId: string, urls: ApplicationUrls) => ({
    clientId,
    name: options.appName,
    callbackUrls: [...urls.callbackUrls],
    logoutUrls: [...urls.logoutUrls],
    webOrigins: [...urls.webOrigins],
  });
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
        applications: audiences.map((clientId) => seed(clientId, options.urls)),
        logger: options.logger,
      });
      const applications = [...provider.applications];
      tenants.push({
        issuer,
        url: provider.url,
        dataDir,
        applications,
        addApplications(clientIds, urls) {
          for (const clientId of clientIds) {
            if (applications.some((app) => app.clientId === clientId)) continue;
            const { callbackUrls, ...rest } = seed(clientId, urls);
            applications.push(provider.store.upsertApplication({ ...rest, callbacks: [WALKTHROUGH_CALLBACK, ...callbackUrls] }));
          }
        },
        allowUrls(urls) {
          // Merged into what is stored: URLs added with `idp apps update` stay.
          for (const [index, app] of applications.entries()) {
            const { callbackUrls, ...rest } = seed(app.clientId, urls);
            applications[index] = provider.store.upsertApplication({ ...rest, callbacks: callbackUrls });
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
