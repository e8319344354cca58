/**
 * Deploy-time values (an Api's url, an Auth issuer) are not known while the stacks run, as in CDK. Constructs
 * hand out token strings instead; a backend resolves them once it knows the values.
 */

const TOKEN = /\$\{Token\[Gatehouse\.(\w+)\.([^\]]+)\]\}/g;
// Without the global flag, so a test keeps no position between calls.
const ANY_TOKEN = new RegExp(TOKEN.source);

/** The token standing for the url of the Api with the given manifest id. */
export function apiUrlToken(apiId: string): string {
  return `\${Token[Gatehouse.ApiUrl.${apiId}]}`;
}

/** The token standing for the issuer URL of the Auth tenant with the given manifest id. */
export function authIssuerToken(authId: string): string {
  return `\${Token[Gatehouse.AuthIssuer.${authId}]}`;
}

/** The token standing for the URL a StaticSite is served at. */
export function siteUrlToken(siteId: string): string {
  return `\${Token[Gatehouse.SiteUrl.${siteId}]}`;
}

/**
 * The token standing for a value read off a construct nothing local stands in for (`pool.userPoolId` reads as
 * `${Token[Gatehouse.Unemulated.my-stack/Pool.userPoolId]}`). No backend resolves it; a handler that gets it in its
 * environment sees which construct it came from.
 */
export function unemulatedToken(path: string): string {
  return `\${Token[Gatehouse.Unemulated.${path.replace(/[\]\s]/g, "_")}]}`;
}

export interface TokenValues {
  apiUrls: Record<string, string>;
  authIssuers: Record<string, string>;
  siteUrls?: Record<string, string>;
}

/** Replaces every token in `text` with its value; unknown tokens are left as they are. */
export function resolveTokens(text: string, values: TokenValues): string {
  return text.replace(TOKEN, (whole, kind: string, id: string) => {
    const value =
      kind === "ApiUrl" ? values.apiUrls[id] : kind === "AuthIssuer" ? values.authIssuers[id] : kind === "SiteUrl" ? values.siteUrls?.[id] : undefined;
    return value ?? whole;
  });
}

/** True when `text` holds at least one token. */
export function hasTokens(text: string): boolean {
  return ANY_TOKEN.test(text);
}

/**
 * Replaces each token of a value read off a recorded CDK construct (unemulatedToken) for which `value` has an
 * answer; others are left as they are.
 */
export function replaceUnemulatedTokens(text: string, value: (path: string) => string | undefined): string {
  return text.replace(TOKEN, (whole, kind: string, path: string) => (kind === "Unemulated" ? (value(path) ?? whole) : whole));
}

/** The tokens in `text` other than those `known` accepts, by their full text. */
export function tokensBesides(text: string, known: (kind: string, id: string) => boolean): string[] {
  return [...text.matchAll(TOKEN)].filter((match) => !known(match[1], match[2])).map((match) => match[0]);
}
