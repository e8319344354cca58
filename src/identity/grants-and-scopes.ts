/** Grant types the tenant serves (oidc-provider's, plus Auth0's password grants). */
export const SERVED_GRANT_TYPES: readonly string[] = [
  "authorization_code",
  "refresh_token",
  "client_credentials",
  "password",
  "http://auth0.com/oauth/grant-type/password-realm",
];

/** The OpenID Connect scopes; any other scope names an API's permission. */
export const OIDC_SCOPES: readonly string[] = ["openid", "profile", "email", "offline_access"];

/** True when `scope` is one of the OpenID Connect scopes. */
export function isOidcScope(scope: string): boolean {
  return OIDC_SCOPES.includes(scope);
}
