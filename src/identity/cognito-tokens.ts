import { createHash, randomUUID } from "node:crypto";
import { importJWK, SignJWT } from "jose";
import type { TenantStore, UserRecord } from "./tenant-store.js";

/** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the issuers the embedded provider plays as Cognito. */
const COGNITO_ISSUER = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([a-z0-9-]+_[0-9A-Za-z]+)$/;

/** True when `issuer` is a Cognito user pool's, so tokens take Cognito's shapes (docs/authorizers.md). */
export function isCognitoIssuer(issuer: string | null | undefined): boolean {
  return typeof issuer === "string" && COGNITO_ISSUER.test(issuer);
}

/** CDK's default ID and access token lifetime for a user pool client (60 minutes). */
export const COGNITO_TOKEN_SECONDS = 3600;

/** The scope Cognito puts in access tokens from its own sign-in APIs. */
export const COGNITO_SIGNIN_SCOPE = "aws.cognito.signin.user.admin";

export interface CognitoTokens {
  IdToken: string;
  AccessToken: string;
  /** Opaque; refreshing is not served locally. */
  RefreshToken: string;
  ExpiresIn: number;
  TokenType: "Bearer";
}

/**
 * An ID token and an access token shaped as a Cognito user pool issues them (docs/authorizers.md): the ID
 * token with `aud` = the app client and `token_use: "id"`, `cognito:username` and the e-mail; the access
 * token without `aud`, with `client_id`, `token_use: "access"`, `username` and `scope`. Both are signed with
 * the tenant's current key, which its JWKS publishes.
 */
export async function issueCognitoTokens(
  issuer: string,
  store: TenantStore,
  user: UserRecord,
  clientId: string,
  options: { scope?: string; nowSeconds?: number } = {},
): Promise<CognitoTokens> {
  const [current] = await store.signingKeys();
  const { kid, ...jwk } = current.jwk;
  const key = await importJWK(jwk, "RS256");
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const sub = cognitoSub(user.id);
  const originJti = randomUUID();
  const eventId = randomUUID();
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ kid, alg: "RS256" }).setIssuedAt(now).setExpirationTime(now + COGNITO_TOKEN_SECONDS).setJti(randomUUID()).sign(key);
  const idToken = await sign({
    sub,
    email_verified: user.emailVerified,
    iss: issuer,
    "cognito:username": sub,
    origin_jti: originJti,
    aud: clientId,
    event_id: eventId,
    token_use: "id",
    auth_time: now,
    ...(user.name && user.name !== user.email ? { name: user.name } : {}),
    email: user.email,
  });
  const accessToken = await sign({
    sub,
    iss: issuer,
    client_id: clientId,
    origin_jti: originJti,
    event_id: eventId,
    token_use: "access",
    scope: options.scope ?? COGNITO_SIGNIN_SCOPE,
    auth_time: now,
    username: sub,
  });
  return { IdToken: idToken, AccessToken: accessToken, RefreshToken: randomUUID(), ExpiresIn: COGNITO_TOKEN_SECONDS, TokenType: "Bearer" };
}

/** A user's Cognito `sub`: a UUID, stable for the user (derived from the tenant's user id). */
export function cognitoSub(userId: string): string {
  const hex = createHash("sha256").update(userId).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
