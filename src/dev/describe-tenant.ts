import type { ApplicationRecord } from "../identity/tenant-store.js";

/** The walkthrough's callback: Auth0 tutorials send the browser to a page that need not exist. */
export const WALKTHROUGH_CALLBACK = "http://localhost:5678";

export interface ImpersonatedTenant {
  /** The issuer the app names, e.g. `https://myorg.us.auth0.com/`. */
  issuer: string;
  /** Where the embedded provider playing it is served, e.g. `http://127.0.0.1:4100/`. */
  url: string;
  dataDir: string;
  applications: ApplicationRecord[];
  close(): Promise<void>;
}

/** What dev prints for each impersonated tenant: the login URL and a ready-to-paste code exchange. */
export function describeTenant(tenant: ImpersonatedTenant): string {
  const lines = [`Identity provider for ${tenant.issuer} (embedded, at ${tenant.url})`];
  for (const app of tenant.applications) {
    const redirect = app.callbacks.includes(WALKTHROUGH_CALLBACK) ? WALKTHROUGH_CALLBACK : app.callbacks[0];
    const login = `${tenant.url}authorize?response_type=code&client_id=${app.clientId}&redirect_uri=${redirect}&scope=openid%20profile`;
    lines.push(
      `  Application ${app.clientId}`,
      `    Login:  ${login}`,
      `    Then exchange the code from the callback URL:`,
      `    curl --request POST --url ${tenant.url}oauth/token --data "grant_type=authorization_code&client_id=${app.clientId}&client_secret=${app.clientSecret}&code=CODE&redirect_uri=${redirect}"`,
    );
  }
  return lines.join("\n");
}
