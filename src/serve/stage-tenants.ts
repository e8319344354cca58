import { join } from "node:path";
import type { AuthManifest } from "../manifest/manifest.js";
import type { RunningIdentityProvider } from "../identity/identity-provider.js";
import type { Logger } from "../log.js";

export interface StageTenantOptions {
  /** Each tenant keeps its users, applications and keys under `<dataDir>/<tenant>`. */
  dataDir: string;
  /** Port of the first tenant; 0 picks free ports. */
  basePort: number;
  logger: Logger;
}

/** Where one Auth tenant of a stage keeps its data. */
export function stageTenantDir(dataDir: string, authId: string): string {
  return join(dataDir, authId.replace(/[^A-Za-z0-9.-]+/g, "_"));
}

/** The port key of an Auth tenant in a stage's port map. */
export function tenantPortKey(authId: string): string {
  return `auth:${authId}`;
}

/**
 * The identity tenants a stage declares with `Auth`, each an embedded provider that is its own issuer. They
 * keep running across applies; an app's applications and APIs are brought up to date on each apply.
 */
export class StageTenants {
  private readonly running = new Map<string, RunningIdentityProvider>();

  constructor(private readonly options: StageTenantOptions) {}

  /**
   * Starts tenants new in `auths`, updates the rest, stops the ones gone; returns issuer URLs by id. `ports`
   * holds fixed ports keyed `auth:<manifest id>` (a deployed stage keeps them: a tenant's URL is its issuer).
   */
  async apply(auths: AuthManifest[], ports: Record<string, number> = {}): Promise<Record<string, string>> {
    const live = new Set(auths.map((auth) => auth.id));
    for (const [id, tenant] of this.running) {
      if (live.has(id)) continue;
      await tenant.close();
      this.running.delete(id);
    }
    if (auths.length > 0 || this.running.size > 0) {
      // oidc-provider loads only for stages that declare a tenant.
      const { startIdentityProvider } = await import("../identity/identity-provider.js");
      for (const auth of auths) {
        let tenant = this.running.get(auth.id);
        if (!tenant) {
          tenant = await startIdentityProvider({
            dataDir: stageTenantDir(this.options.dataDir, auth.id),
            port: ports[tenantPortKey(auth.id)] ?? this.nextPort(),
            logger: this.options.logger,
          });
          this.running.set(auth.id, tenant);
        }
        for (const app of auth.applications) {
          tenant.store.upsertApplication({
            clientId: app.clientId,
            name: app.name,
            callbacks: app.callbackUrls,
            logoutUrls: app.logoutUrls,
            webOrigins: app.webOrigins,
            ...(app.grantTypes.length > 0 ? { grantTypes: app.grantTypes } : {}),
          });
        }
        for (const api of auth.apis) tenant.store.upsertApi({ identifier: api.identifier, scopes: api.scopes, rbac: api.rbac });
      }
    }
    return this.issuers();
  }

  /** The first port from basePort up that no running tenant holds (0 when basePort is 0). */
  private nextPort(): number {
    if (this.options.basePort === 0) return 0;
    const held = new Set([...this.running.values()].map((tenant) => Number(new URL(tenant.url).port)));
    let port = this.options.basePort;
    while (held.has(port)) port++;
    return port;
  }

  /** Each running tenant's issuer, URL and applications (with secrets), for printing. */
  describe(): Array<{ id: string; issuer: string; url: string; applications: ReturnType<RunningIdentityProvider["store"]["listApplications"]> }> {
    return [...this.running].map(([id, tenant]) => ({ id, issuer: tenant.issuer, url: tenant.url, applications: tenant.store.listApplications() }));
  }

  /** Issuer URL of each running tenant, keyed by Auth manifest id. */
  issuers(): Record<string, string> {
    return Object.fromEntries([...this.running].map(([id, tenant]) => [id, tenant.issuer]));
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.values()].map((tenant) => tenant.close()));
    this.running.clear();
  }
}
