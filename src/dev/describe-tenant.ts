import { randomBytes } from "node:crypto";
import type { ApplicationUrls } from "../app/load-config.js";
import { type ApplicationRecord, WALKTHROUGH_CALLBACK } from "../identity/tenant-store.js";
import { walkthroughHints } from "../identity/walkthrough-hints.js";
import { isCognitoIssuer } from "../identity/cognito-tokens.js";

export interface ImpersonatedTenant {
  /** The issuer the app names, e.g. `https://myorg.us.auth0.com/`. */
  issuer: string;
  /** Where the embedded provider playing it is served, e.g. `http://127.0.0.1:4100/`. */
  url: string;
  dataDir: string;
  applications: ApplicationRecord[];
  /** Makes applications for client ids the stacks name since start (a stack edit added an audience). */
  addApplications(clientIds: string[], urls: ApplicationUrls): void;
  /** Adds sst.json's callback/logout URLs and web origins to every application (an edit of sst.json). */
  allowUrls(urls: ApplicationUrls): void;
  close(): Promise<void>;
}

/** What dev prints for each tenant: the issuer it plays, the login URL and a ready-to-paste code exchange. */
export function describeTenant(tenant: Pick<ImpersonatedTenant, "issuer" | "url" | "applications">): string {
  if (isCognitoIssuer(tenant.issuer)) return describeCognitoPool(tenant);
  const lines = [
    tenant.issuer === tenant.url ? `Identity tenant ${tenant.issuer} (self-hosted)` : `Identity provider for ${tenant.issuer} (embedded, at ${tenant.url})`,
  ];
  for (const app of tenant.applications) {
    const redirect = app.callbacks.includes(WALKTHROUGH_CALLBACK) ? WALKTHROUGH_CALLBACK : app.callbacks[0];
    const hints = walkthroughHints(tenant, app, redirect, randomBytes(6).toString("hex"));
    lines.push(`  Application ${app.clientId}`, `    Login:  ${hints.loginUrl}`, "    Then exchange the code from the callback URL:", `    ${hints.tokenCurl}`);
  }
  return lines.join("\n");
}

/** For a Cognito user pool: its app clients, and how to get its tokens (docs/authorizers.md). */
function describeCognitoPool(tenant: Pick<ImpersonatedTenant, "issuer" | "url" | "applications">): string {
  const lines = [`Cognito user pool ${tenant.issuer} (embedded, at ${tenant.url})`];
  for (const app of tenant.applications) lines.push(`  App client ${app.clientId}`);
  lines.push(
    "  Add a user: gatehouse idp users add --email <email> --password <password>",
    "  Get its ID and access tokens: gatehouse idp token --email <email> --password <password>",
    `  or InitiateAuth (USER_PASSWORD_AUTH) with an AWS SDK whose Cognito endpoint is ${tenant.url}`,
  );
  return lines.join("\n");
}
