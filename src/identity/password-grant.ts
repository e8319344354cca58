import { errors } from "./oidc-engine.js";
import { accountClaims } from "./account-claims.js";
import { BLOCKED_MESSAGE } from "./login-throttle.js";
import { DATABASE_CONNECTION } from "./signup-endpoint.js";
import type { TenantRuntime } from "./tenant-runtime.js";
import { isOidcScope } from "./grants-and-scopes.js";

const PASSWORD_REALM = "http://auth0.com/oauth/grant-type/password-realm";

/**
 * The resource-owner password grants Auth0 offers (`password` and `password-realm`), which oidc-provider
 * does not ship: the user is checked (throttled per account and connecting IP, or `auth0-forwarded-for` from
 * a confidential client), then
 * an access token, ID token and, with `offline_access`, a refresh token are issued under a fresh grant.
 */
export function registerPasswordGrants(provider: any, tenant: TenantRuntime): void {
  async function passwordGrant(ctx: any): Promise<void> {
    const { client, params } = ctx.oidc;
    if (params.grant_type === PASSWORD_REALM && params.realm !== DATABASE_CONNECTION) {
      throw new errors.InvalidRequest(`Connection "${params.realm ?? ""}" does not exist.`);
    }
    if (!params.username || !params.password) throw new errors.InvalidRequest("missing required parameter username or password");
    // Auth0 honours auth0-forwarded-for only from trusted backends; here that is a confidential client, which
    // has just proved its secret. Anyone else could reset the throttle by sending a new address each time.
    const forwarded = client.tokenEndpointAuthMethod !== "none" ? ctx.get("auth0-forwarded-for") : "";
    const ip = String(forwarded || ctx.req.socket.remoteAddress || "unknown");
    if (tenant.throttle.isBlocked(params.username, ip)) {
      ctx.status = 429;
      ctx.body = { error: "too_many_attempts", error_description: BLOCKED_MESSAGE };
      return;
    }
    const user = await tenant.store.verifyCredentials(params.username, params.password);
    if (!user) {
      tenant.throttle.recordFailure(params.username, ip);
      const error = new errors.InvalidGrant();
      error.error_description = "Wrong email or password.";
      throw error;
    }
    tenant.throttle.recordSuccess(params.username, ip);

    const requested = String(params.scope ?? "").split(" ").filter(Boolean);
    const oidcScope = requested.filter((scope) => isOidcScope(scope));
    const grant = new provider.Grant({ accountId: user.id, clientId: client.clientId });
    grant.addOIDCScope(oidcScope.join(" "));

    let resourceServer: any;
    let apiScope: string[] = [];
    if (params.resource) {
      const api = tenant.store.getApi(String(params.resource));
      if (!api) throw new errors.AccessDenied(`Service not found: ${params.resource}`);
      apiScope = requested.filter((scope) => api.scopes.includes(scope));
      resourceServer = new provider.ResourceServer(api.identifier, {
        audience: api.identifier,
        scope: api.scopes.join(" "),
        accessTokenTTL: api.tokenLifetime,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "RS256" } },
      });
      grant.addResourceScope(api.identifier, apiScope.join(" "));
    }
    const grantId = await grant.save();

    const at = new provider.AccessToken({
      accountId: user.id,
      client,
      grantId,
      gty: "password",
      scope: (resourceServer ? apiScope : oidcScope).join(" ") || undefined,
    });
    if (resourceServer) at.resourceServer = resourceServer;
    ctx.oidc.entity("AccessToken", at);
    const accessToken = await at.save();

    let refreshToken: string | undefined;
    if (oidcScope.includes("offline_access") && client.grantTypeAllowed("refresh_token")) {
      const rt = new provider.RefreshToken({
        accountId: user.id,
        client,
        grantId,
        gty: "password",
        resource: resourceServer?.identifier(),
        rotations: 0,
        scope: [...oidcScope, ...apiScope].join(" "),
      });
      refreshToken = await rt.save();
    }

    let idToken: string | undefined;
    if (oidcScope.includes("openid")) {
      const token = new provider.IdToken(accountClaims(tenant, user), { ctx });
      token.scope = oidcScope.join(" ");
      token.mask = {};
      token.rejected = [];
      idToken = await token.issue({ use: "idtoken" });
    }

    ctx.body = {
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(idToken ? { id_token: idToken } : {}),
      scope: [...oidcScope, ...apiScope].join(" "),
      expires_in: at.expiration,
      token_type: "Bearer",
    };
  }

  const parameters = ["username", "password", "scope", "realm", "resource", "audience"];
  provider.registerGrantType("password", passwordGrant, parameters);
  provider.registerGrantType(PASSWORD_REALM, passwordGrant, parameters);
}
