import { GatehouseError } from "../errors.js";
import { startIdentityProvider } from "../identity/identity-provider.js";
import { type TenantStore, WALKTHROUGH_CALLBACK } from "../identity/tenant-store.js";
import { type TokenResponse, loginForTokens } from "../identity/token-via-login.js";
import { memoryLogger } from "../log.js";
import type { TenantLocation } from "./app-tenants.js";

/**
 * Logs a user in through the real authorization-code flow of a tenant and returns its tokens. A private
 * instance of the tenant (same data, same issuer and keys) serves the flow, so this works whether or not
 * `gatehouse dev` is running.
 */
export async function issueTokensViaLogin(
  tenant: TenantLocation,
  store: TenantStore,
  login: { email: string; password: string; audience?: string; clientId?: string; scope?: string },
): Promise<TokenResponse> {
  const apps = store.listApplications();
  const app = login.clientId ? apps.find((candidate) => candidate.clientId === login.clientId) : (apps.find((candidate) => tenant.clientIds.includes(candidate.clientId)) ?? apps[0]);
  if (!app) {
    throw new GatehouseError("GH_ERR_IDP_INVALID", `${tenant.label} has no application${login.clientId ? ` ${login.clientId}` : ""}. Fix: run \`gatehouse dev\` once, or check --client-id.`);
  }
  const issuer = tenant.issuer ?? store.rememberedIssuer();
  const provider = await startIdentityProvider({ issuer, dataDir: tenant.dataDir, port: 0, logger: memoryLogger(), shortLived: true });
  try {
    return await loginForTokens({
      providerUrl: provider.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      email: login.email,
      password: login.password,
      audience: login.audience,
      scope: login.scope,
      redirectUri: app.callbacks.includes(WALKTHROUGH_CALLBACK) ? WALKTHROUGH_CALLBACK : app.callbacks[0],
    });
  } finally {
    await provider.close();
  }
}
