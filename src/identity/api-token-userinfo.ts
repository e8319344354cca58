import type { IncomingMessage, ServerResponse } from "node:http";
import { createLocalJWKSet, jwtVerify } from "jose";
import { accountClaims } from "./account-claims.js";
import { publicJwk } from "./logout-endpoints.js";
import type { TenantRuntime } from "./tenant-runtime.js";

const CLAIMS_BY_SCOPE: Record<string, string[]> = {
  openid: ["sub"],
  profile: ["name", "nickname", "picture", "updated_at", "given_name", "family_name"],
  email: ["email", "email_verified"],
};

/** The bearer token of a request when it is a JWT (an API access token); opaque tokens are oidc-provider's. */
export function bearerJwt(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1];
}

/**
 * `/userinfo` for JWT access tokens issued for an API with `openid` (their `aud` includes
 * `{issuer}userinfo`), which Auth0 accepts and oidc-provider does not: the profile, filtered by the token's scopes.
 */
export async function apiTokenUserinfo(tenant: TenantRuntime, token: string, res: ServerResponse): Promise<void> {
  const reject = (): void => {
    res
      .writeHead(401, {
        "Content-Type": "application/json; charset=utf-8",
        "WWW-Authenticate": 'Bearer error="invalid_token", error_description="invalid token provided"',
      })
      .end(JSON.stringify({ error: "invalid_token", error_description: "invalid token provided" }));
  };
  try {
    const keys = (await tenant.store.signingKeys()).map((key) => publicJwk(key.jwk));
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys }), {
      issuer: tenant.issuer,
      audience: `${tenant.issuer}userinfo`,
      algorithms: ["RS256"],
    });
    const user = typeof payload.sub === "string" ? tenant.store.getUser(payload.sub) : undefined;
    const scopes = String(payload.scope ?? "").split(" ");
    if (!user || user.id !== payload.sub || !scopes.includes("openid")) return reject();
    const all = accountClaims(tenant, user);
    const allowed = new Set(scopes.flatMap((scope) => CLAIMS_BY_SCOPE[scope] ?? []));
    const body = Object.fromEntries(Object.entries(all).filter(([claim]) => allowed.has(claim)));
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" }).end(JSON.stringify(body));
  } catch {
    reject();
  }
}
