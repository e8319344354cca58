import { type AppConfig, loadConfig } from "../app/load-config.js";
import { synthApp } from "../app/synth-app.js";
import { GatehouseError } from "../errors.js";
import { tenantDataDir } from "../identity/tenant-store.js";
import { stageTenantDir } from "../serve/stage-tenants.js";
import { stageAuthDir, stageStateDir } from "../app/stage-paths.js";
import { issuersToImpersonate } from "../serve/issuers-to-impersonate.js";

/** An identity tenant of an app's dev stage and where its data lives. */
export interface TenantLocation {
  /** The issuer it plays, or `Auth <id>` for the stage's own tenant. */
  label: string;
  /** The issuer to put in tokens; null for a self-hosted tenant (its own URL). */
  issuer: string | null;
  dataDir: string;
  /** Client ids the app's authorizers expect (impersonated tenants) or declares (Auth). */
  clientIds: string[];
}

/** The identity tenants `gatehouse dev` runs for the app in `cwd` (whether or not it is running now). */
export async function locateTenants(cwd: string, stage?: string): Promise<{ config: AppConfig; tenants: TenantLocation[] }> {
  const config = loadConfig(cwd, { stage });
  const { manifest } = await synthApp(config);
  const tenants: TenantLocation[] = [];
  for (const [issuer, audiences] of issuersToImpersonate(manifest)) {
    tenants.push({ label: issuer, issuer, dataDir: tenantDataDir(stageStateDir(config), issuer), clientIds: audiences });
  }
  for (const auth of manifest.auths) {
    tenants.push({
      label: `Auth ${auth.id}`,
      issuer: null,
      dataDir: stageTenantDir(stageAuthDir(config), auth.id),
      clientIds: auth.applications.map((app) => app.clientId),
    });
  }
  return { config, tenants };
}

/** The one tenant a command acts on: the only one, or the one `--issuer` names. */
export function pickTenant(tenants: TenantLocation[], issuer: string | undefined): TenantLocation {
  if (tenants.length === 0) {
    throw new GatehouseError("GH_ERR_IDP_INVALID", "This app names no issuer to impersonate and declares no Auth tenant. Fix: add a JWT authorizer or an Auth construct.");
  }
  if (issuer !== undefined) {
    const found = tenants.find((tenant) => tenant.label === issuer || tenant.issuer === issuer);
    if (!found) throw new GatehouseError("GH_ERR_FLAG_INVALID", `--issuer "${issuer}" is not one of: ${tenants.map((t) => t.label).join(", ")}.`);
    return found;
  }
  if (tenants.length > 1) {
    throw new GatehouseError("GH_ERR_FLAG_INVALID", `This app has several identity tenants; pass --issuer with one of: ${tenants.map((t) => t.label).join(", ")}.`);
  }
  return tenants[0];
}
