import type { TenantRuntime } from "./tenant-runtime.js";
import { isOidcScope } from "./grants-and-scopes.js";


interface StructuredJwt {
  header?: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/**
 * oidc-provider's JWT access-token customizer, reshaping its RFC 9068 tokens into Auth0's profile:
 * `typ: JWT`, no `jti`/`client_id`, `azp`, `aud` = [api, `{issuer}userinfo`] when `openid` was asked,
 * the OIDC scopes in `scope`, RBAC `permissions`, and `<client_id>@clients` + `gty` for client credentials.
 */
export function customizeAccessToken(tenant: TenantRuntime) {
  return async function customize(ctx: any, token: any, jwt: StructuredJwt): Promise<void> {
    const payload = jwt.payload;
    const clientId = payload.client_id as string;
    const audience = Array.isArray(payload.aud) ? (payload.aud[0] as string) : (payload.aud as string);
    jwt.header = { typ: "JWT" };
    delete payload.jti;
    delete payload.client_id;
    payload.azp = clientId;
    if (token.kind === "ClientCredentials") {
      payload.sub = `${clientId}@clients`;
      payload.gty = "client-credentials";
      return;
    }
    const source = ctx?.oidc?.entities?.AuthorizationCode ?? ctx?.oidc?.entities?.RefreshToken;
    const requested = String(source?.scope ?? ctx?.oidc?.params?.scope ?? "").split(" ");
    const oidcScopes = requested.filter((scope) => isOidcScope(scope));
    const apiScopes = String(payload.scope ?? "").split(" ").filter(Boolean);
    payload.scope = [...new Set([...oidcScopes, ...apiScopes])].join(" ");
    payload.aud = oidcScopes.includes("openid") ? [audience, `${tenant.issuer}userinfo`] : audience;
    // oidc-provider records the whole chain ("authorization_code refresh_token"); Auth0 names the last grant.
    const gty = String(token.gty ?? "");
    if (gty.endsWith("refresh_token")) payload.gty = "refresh_token";
    else if (gty === "password") payload.gty = "password";
    const api = tenant.store.getApi(audience);
    if (api?.rbac) {
      const user = tenant.store.getUser(String(payload.sub));
      payload.permissions = (user?.permissions ?? []).filter((permission) => api.scopes.includes(permission));
    }
  };
}
