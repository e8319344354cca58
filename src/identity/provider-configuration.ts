import { errors } from "./oidc-engine.js";
import { accountClaims } from "./account-claims.js";
import { customizeAccessToken } from "./access-token-claims.js";
import { renderErrorPage } from "./login-pages.js";
import { sqliteAdapter } from "./sqlite-adapter.js";
import type { TenantRuntime } from "./tenant-runtime.js";
import type { SigningKeyRecord } from "./tenant-store.js";
import { OIDC_SCOPES, isOidcScope } from "./grants-and-scopes.js";

const REFRESH_TOKEN_LIFETIME = 30 * 24 * 3600;

/** Where the interaction for `uid` is served (the universal login pages). */
export function interactionPath(uid: string): string {
  return `/u/${uid}`;
}

/**
 * Finds or extends the grant for this client and account with every scope the request asks for: all
 * applications of a local tenant are first-party, so consent is implied (as Auth0 does for them).
 */
async function loadExistingGrant(ctx: any): Promise<any> {
  const { client, session, provider } = ctx.oidc;
  const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  let grant = grantId ? await provider.Grant.find(grantId) : undefined;
  if (grant && (grant.accountId !== session.accountId || grant.clientId !== client.clientId)) grant = undefined;
  grant ??= new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  const requested = [...(ctx.oidc.requestParamScopes ?? [])] as string[];
  grant.addOIDCScope(requested.filter(isOidcScope).join(" "));
  for (const [indicator, server] of Object.entries<any>(ctx.oidc.resourceServers ?? {})) {
    const offered = String(server.scope ?? "").split(" ");
    const wanted = requested.filter((scope) => offered.includes(scope));
    if (wanted.length) grant.addResourceScope(indicator, wanted.join(" "));
    else grant.addResourceScope(indicator, "");
  }
  await grant.save();
  return grant;
}

function errorPage(ctx: any, out: { error: string; error_description?: string }): void {
  const redirectUri = ctx.oidc?.params?.redirect_uri;
  ctx.type = "html";
  if (out.error === "invalid_redirect_uri") {
    ctx.body = renderErrorPage(
      "Callback URL mismatch.",
      `${redirectUri ?? "The redirect_uri"} is not in the list of allowed callback URLs.`,
      out.error,
    );
  } else if (out.error === "invalid_client") {
    ctx.body = renderErrorPage("Unknown client.", "The client_id does not name an application of this tenant.", out.error);
  } else {
    ctx.body = renderErrorPage(out.error, out.error_description ?? "", out.error);
  }
}

/** The oidc-provider configuration that makes it behave as an Auth0 tenant. */
export function providerConfiguration(tenant: TenantRuntime, keys: SigningKeyRecord[]): Record<string, unknown> {
  const { store } = tenant;
  return {
    adapter: sqliteAdapter(store),
    // Current key first: oidc-provider signs with the first matching key and publishes all of them.
    jwks: { keys: keys.map((key) => key.jwk) },
    cookies: { keys: [store.persistentSecret("cookie-key")] },
    routes: {
      authorization: "/authorize",
      token: "/oauth/token",
      userinfo: "/userinfo",
      jwks: "/.well-known/jwks.json",
      revocation: "/oauth/revoke",
      end_session: "/oidc/logout",
    },
    scopes: [...OIDC_SCOPES],
    claims: {
      openid: ["sub"],
      profile: ["name", "nickname", "picture", "updated_at", "given_name", "family_name"],
      email: ["email", "email_verified"],
    },
    // Auth0 puts profile claims in the ID token itself; tutorials read them from there.
    conformIdTokenClaims: false,
    extraParams: ["audience", "screen_hint", "connection", "organization", "invitation", "auth0Client"],
    ttl: {
      AccessToken: 86400,
      ClientCredentials: 86400,
      IdToken: 36000,
      // A person copies the code by hand in the walkthrough: allow RFC 6749's maximum of ten minutes.
      AuthorizationCode: 600,
      // Auth0's absolute refresh-token lifetime (30 days), which rotation does not extend.
      RefreshToken: (_ctx: any, token: any) => Math.max(1, REFRESH_TOKEN_LIFETIME - (token.totalLifetime?.() ?? 0)),
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 365 * 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        // An application may revoke only its own tokens; others' tokens are silently ignored (RFC 7009's 200).
        allowedPolicy: async (_ctx: any, client: any, token: any) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Without `audience` the access token is opaque and good only at /userinfo, as on Auth0.
        defaultResource: async (_ctx: any, _client: any, oneOf?: string) => oneOf,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx: any, indicator: string, client: any) => {
          const api = store.getApi(indicator);
          if (!api) throw new errors.AccessDenied(`Service not found: ${indicator}`);
          if (ctx.oidc?.params?.grant_type === "client_credentials" && !store.getClientGrant(client.clientId, indicator)) {
            throw new errors.AccessDenied(
              `Client "${client.clientId}" is not authorized to access resource server "${indicator}". You need to create a "client-grant" associated to this API.`,
            );
          }
          return {
            scope: api.scopes.join(" "),
            audience: api.identifier,
            accessTokenTTL: api.tokenLifetime,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    formats: { customizers: { jwt: customizeAccessToken(tenant) } },
    interactions: { url: (_ctx: any, interaction: { uid: string }) => interactionPath(interaction.uid) },
    findAccount: async (_ctx: any, sub: string) => {
      const user = store.getUser(sub);
      if (!user || user.id !== sub) return undefined;
      return { accountId: sub, claims: async () => accountClaims(tenant, user) };
    },
    loadExistingGrant,
    issueRefreshToken: async (_ctx: any, client: any, code: any) =>
      client.grantTypeAllowed("refresh_token") && code.scopes.has("offline_access"),
    // Rotation with reuse detection: a used refresh token is consumed, and presenting it again revokes the family.
    rotateRefreshToken: true,
    // Auth0 tokens outlive the SSO session cookie; logging out does not revoke them.
    expiresWithSession: async () => false,
    clientBasedCORS: (_ctx: any, origin: string, client: any) =>
      store.getApplication(client.clientId)?.webOrigins.includes(origin) ?? false,
    pkce: { required: (_ctx: any, client: any) => client.clientAuthMethod === "none" },
    renderError: async (ctx: any, out: { error: string; error_description?: string }) => {
      if (ctx.path === "/authorize" || ctx.path.startsWith("/u/") || ctx.path.startsWith("/oidc/logout")) errorPage(ctx, out);
      else ctx.body = out;
    },
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      id_token_signed_response_alg: "RS256",
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  };
}
