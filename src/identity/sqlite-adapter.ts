import type { ApplicationRecord, TenantStore } from "./tenant-store.js";
import { SERVED_GRANT_TYPES } from "./grants-and-scopes.js";


/** oidc-provider client metadata for an application of the tenant. */
export function clientMetadata(app: ApplicationRecord): Record<string, unknown> {
  const isPublic = app.tokenEndpointAuthMethod === "none";
  return {
    client_id: app.clientId,
    ...(isPublic ? {} : { client_secret: app.clientSecret }),
    client_name: app.name,
    redirect_uris: app.callbacks,
    post_logout_redirect_uris: app.logoutUrls,
    // Code flow only: oidc-provider refuses the implicit flow for http://localhost callbacks, which is
    // exactly what local apps register.
    grant_types: app.grantTypes.filter((type) => SERVED_GRANT_TYPES.includes(type)),
    response_types: ["code"],
    token_endpoint_auth_method: app.tokenEndpointAuthMethod,
  };
}

/**
 * oidc-provider's storage adapter over the tenant's SQLite file. Model `Client` is served read-only from
 * the applications table, so applications added by the CLI are visible to a running provider at once.
 */
export function sqliteAdapter(store: TenantStore) {
  return class SqliteAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
      if (this.model === "Client") return;
      store.upsertModel(this.model, id, payload, expiresIn);
    }

    async find(id: string): Promise<Record<string, unknown> | undefined> {
      if (this.model === "Client") {
        const app = store.getApplication(id);
        return app ? clientMetadata(app) : undefined;
      }
      return store.findModel(this.model, "id", id);
    }

    async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
      return store.findModel(this.model, "user_code", userCode);
    }

    async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
      return store.findModel(this.model, "uid", uid);
    }

    async consume(id: string): Promise<void> {
      store.consumeModel(this.model, id);
    }

    async destroy(id: string): Promise<void> {
      store.destroyModel(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      store.revokeModelsByGrant(this.model, grantId);
    }
  };
}
