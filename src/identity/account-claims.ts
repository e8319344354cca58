import type { TenantRuntime } from "./tenant-runtime.js";
import type { UserRecord } from "./tenant-store.js";

/** The local avatar Auth0 would fall back to (`cdn.auth0.com/avatars/<xx>.png`), served by the tenant itself. */
export function defaultPictureUrl(tenant: TenantRuntime, email: string): string {
  const initials = email.replace(/[^a-z0-9]/gi, "").slice(0, 2).toLowerCase() || "xx";
  return `${tenant.publicUrl}avatars/${initials}.svg`;
}

/** A user's claims as Auth0 issues them for a database connection; oidc-provider filters them by scope. */
export function accountClaims(tenant: TenantRuntime, user: UserRecord): Record<string, unknown> {
  return {
    sub: user.id,
    nickname: user.nickname,
    name: user.name,
    picture: user.picture ?? defaultPictureUrl(tenant, user.email),
    // Auth0 sends an ISO string; OIDC Core (and the conformance suite) wants seconds.
    updated_at: tenant.strictOidc ? Math.floor(Date.parse(user.updatedAt) / 1000) : user.updatedAt,
    ...(user.givenName ? { given_name: user.givenName } : {}),
    ...(user.familyName ? { family_name: user.familyName } : {}),
    email: user.email,
    email_verified: user.emailVerified,
  };
}
