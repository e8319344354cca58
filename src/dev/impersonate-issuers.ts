import { join } from "node:path";
import type { Manifest } from "../app/manifest.js";
import { isLoopbackHostname } from "../auth/loopback-url.js";
import { startIdentityProvider } from "../identity/identity-provider.js";
import type { Logger } from "../log.js";

import { type ImpersonatedTenant, WALKTHROUGH_CALLBACK } from "./describe-tenant.js";

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

/** A filesystem-safe folder name for an issuer (`https://myorg.us.auth0.com/` → `myorg.us.auth0.com`). */
export function tenantFolder(issuer: string): string {
  const url = new URL(issuer);
  return `${url.host}${url.pathname}`.replace(/[^A-Za-z0-9.-]+/g, "_").replace(/_+$/, "");
}

/**
 * Starts an embedded provider for each issuer the app names, so tokens carry that exact `iss` offline. Each
 * audience becomes an application with that client id.
 */
export async function startImpersonation(
  manifest: Manifest,
  options: { dataDir: string; basePort: number; logger: Logger },
): Promise<ImpersonatedTenant[]> {
  const tenants: ImpersonatedTenant[] = [];
  let index = 0;
  try {
    for (const [issuer, audiences] of issuersToImpersonate(manifest)) {
      const dataDir = join(options.dataDir, tenantFolder(issuer));
      const provider = await startIdentityProvider({
        issuer,
        dataDir,
        port: options.basePort === 0 ? 0 : options.basePort + index++,
        applications: audiences.map((clientId) => ({ clientId, callbackUrls: [WALKTHROUGH_CALLBACK] })),
        logger: options.logger,
      });
      const applications = provider.store.listApplications().filter((app) => audiences.includes(app.clientId));
      tenants.push({ issuer, url: provider.url, dataDir, applications, close: () => provider.close() });
    }
  } catch (err) {
    await Promise.all(tenants.map((tenant) => tenant.close()));
    throw err;
  }
  return tenants;
}
