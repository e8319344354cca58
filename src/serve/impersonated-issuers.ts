import { stageStateDir } from "../app/stage-paths.js";
import type { RunningIdentityProvider } from "../identity/identity-provider.js";
import { tenantDataDir, WALKTHROUGH_CALLBACK } from "../identity/tenant-store.js";
import type { Logger } from "../log.js";
import type { Manifest } from "../manifest/manifest.js";
import { issuersToImpersonate } from "./issuers-to-impersonate.js";

/**
 * The embedded tenants a deployed stage runs in place of the issuers it names (`deploy --idp embedded`):
 * tokens carry the real issuer's `iss`, and the stage's authorizer fetches keys from these tenants instead.
 * Their data lives where dev and `gatehouse idp … --stage <stage>` keep the stage's impersonated tenants
 * (the app's `.gatehouse/<stage>/idp/`), so the CLI manages users and issues tokens for them, offline.
 */
export class ImpersonatedIssuers {
  private readonly running = new Map<string, RunningIdentityProvider>();

  constructor(private readonly logger: Logger) {}

  /** Starts a tenant for each issuer `manifest` names (stopping those it no longer names) and its applications. */
  async apply(manifest: Manifest): Promise<void> {
    const wanted = issuersToImpersonate(manifest);
    for (const [issuer, tenant] of this.running) {
      if (wanted.has(issuer)) continue;
      await tenant.close();
      this.running.delete(issuer);
    }
    if (wanted.size === 0) return;
    // oidc-provider loads only for stages deployed this way.
    const { startIdentityProvider } = await import("../identity/identity-provider.js");
    const stateDir = stageStateDir(manifest.app);
    for (const [issuer, audiences] of wanted) {
      let tenant = this.running.get(issuer);
      if (!tenant) {
        tenant = await startIdentityProvider({ issuer, dataDir: tenantDataDir(stateDir, issuer), port: 0, logger: this.logger });
        this.running.set(issuer, tenant);
      }
      for (const clientId of audiences) {
        tenant.store.upsertApplication({ clientId, name: manifest.app.name, callbacks: [WALKTHROUGH_CALLBACK] });
      }
    }
  }

  /** Where the tenant impersonating `issuer` is served, if one does. */
  urlFor(issuer: string): string | undefined {
    return this.running.get(issuer)?.url;
  }

  /** Each tenant's issuer and URL, for printing. */
  describe(): Array<{ issuer: string; url: string }> {
    return [...this.running.values()].map((tenant) => ({ issuer: tenant.issuer, url: tenant.url }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.values()].map((tenant) => tenant.close()));
    this.running.clear();
  }
}
