import type { Logger } from "../log.js";
import type { LoginThrottle } from "./login-throttle.js";
import type { TenantStore } from "./tenant-store.js";

/** Everything the parts of one running tenant share. */
export interface TenantRuntime {
  /** The issuer the tenant plays, verbatim (tokens carry exactly this `iss`). */
  issuer: string;
  /** Where the tenant is actually served, e.g. `http://127.0.0.1:4123/`. */
  url: string;
  /**
   * Where the tenant is normally served: links that outlive a request (the default `picture` in tokens)
   * point here. The same as `url` except for a short-lived instance, such as the one `idp token` starts.
   */
  publicUrl: string;
  /** Display name on the login pages ("myorg" for https://myorg.us.auth0.com/). */
  tenantName: string;
  store: TenantStore;
  throttle: LoginThrottle;
  logger: Logger;
  /** OIDC-conformant statuses and numeric `updated_at` instead of Auth0's quirks. */
  strictOidc: boolean;
  /** Secret for CSRF tokens on the login forms. */
  csrfSecret: string;
}

/** The tenant's short name as Auth0 shows it: the first label of the issuer's host. */
export function tenantNameOf(issuer: string): string {
  try {
    return new URL(issuer).hostname.split(".")[0] || issuer;
  } catch {
    return issuer;
  }
}
