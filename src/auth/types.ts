import type { JwtAuthorizerManifest } from "../manifest/manifest.js";

/** What the gateway hands an authorizer for one request on a JWT route. */
export interface AuthorizationRequest {
  authorizer: JwtAuthorizerManifest;
  routeKey: string;
  /** The route's authorizationScopes (own, else the Api's defaults); empty means no scope check. */
  scopes: string[];
  /** Request headers, lowercase names, duplicates comma-joined (as in the payload 2.0 event). */
  headers: Record<string, string>;
  /** Decoded query parameters, duplicates comma-joined (as in the payload 2.0 event). */
  query: Record<string, string>;
}

/** The verdict: allow with the claims Lambda will see, or deny with API Gateway's status. */
export type AuthorizationResult =
  | {
      allow: true;
      /** Every claim stringified as API Gateway does. */
      claims: Record<string, string>;
      /** The token's full scope list on routes with scopes, else null. */
      scopes: string[] | null;
    }
  | {
      allow: false;
      status: 401 | 403;
      /** Goes into `www-authenticate: ... error_description="…"` (401 only). */
      description: string;
      /** A precise reason for the dev log, e.g. `aud mismatch: got "x", expected one of ["y"]`. */
      reason: string;
    };

/** Decides whether a request on a JWT route may reach its function. */
export interface Authorizer {
  authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
  /** Releases timers and sockets. */
  close?(): Promise<void>;
}
