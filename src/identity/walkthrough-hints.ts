import { WALKTHROUGH_CALLBACK } from "./tenant-store.js";
import type { ApplicationRecord } from "./tenant-store.js";

/** What `gatehouse dev` prints for one application so the walkthrough can be followed by copy and paste. */
export interface WalkthroughHints {
  /** The issuer the tenant plays. */
  issuer: string;
  /** The walkthrough's `/authorize?...` URL with the real client id, on the local tenant. */
  loginUrl: string;
  /** A ready-to-paste curl for the code exchange with the real secret; replace AUTHORIZATION_CODE. */
  tokenCurl: string;
}

/**
 * Builds the login URL and code-exchange curl of the walkthrough for an application of a running tenant;
 * with `state`, the login URL carries it (Auth0's docs add one; the callback echoes it).
 */
export function walkthroughHints(
  tenant: { url: string; issuer: string },
  app: ApplicationRecord,
  redirectUri: string = WALKTHROUGH_CALLBACK,
  state?: string,
): WalkthroughHints {
  const stateParam = state === undefined ? "" : `&state=${encodeURIComponent(state)}`;
  const loginUrl = `${tenant.url}authorize?response_type=code&client_id=${encodeURIComponent(app.clientId)}&redirect_uri=${redirectUri}&scope=openid%20profile${stateParam}`;
  const body = `grant_type=authorization_code&client_id=${encodeURIComponent(app.clientId)}&client_secret=${encodeURIComponent(app.clientSecret)}&code=AUTHORIZATION_CODE&redirect_uri=${redirectUri}`;
  return {
    issuer: tenant.issuer,
    loginUrl,
    tokenCurl: `curl --request POST --url '${tenant.url}oauth/token' --header 'content-type: application/x-www-form-urlencoded' --data '${body}'`,
  };
}
