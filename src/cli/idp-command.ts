import { loadConfig } from "../app/load-config.js";
import { stageStateDir } from "../app/stage-paths.js";
import { locateTenants, pickTenant, type TenantLocation } from "../dev/app-tenants.js";
import { GatehouseError } from "../errors.js";
import { isCognitoIssuer, issueCognitoTokens } from "../identity/cognito-tokens.js";
import { IamCredentialStore, iamCredentialsFile } from "../identity/iam-credentials.js";
import { type ApplicationRecord, TenantStore } from "../identity/tenant-store.js";
import { escapeControls } from "../terminal-text.js";
import type { IdpAction, IdpFlags } from "./commands/idp.js";

/** `gatehouse idp …`: manage the embedded tenants of the app in this directory, whether or not dev runs. */
export async function idpCommand(action: IdpAction, flags: IdpFlags): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (action === "credentials create" || action === "credentials list") return credentialsCommand(action, flags, out);
  const { tenants } = await locateTenants(process.cwd(), flags.stage);
  const tenant = pickTenant(tenants, flags.issuer);
  const store = new TenantStore(tenant.dataDir);
  // Commander enforces the required flags; an empty value ("--email ''") is caught here.
  const need = (value: string | undefined, flag: string): string => {
    if (value === undefined || value === "") throw new GatehouseError("GH_ERR_FLAG_INVALID", `gatehouse idp ${action}: ${flag} is empty. Fix: give it a value.`);
    return value;
  };
  try {
    switch (action) {
      case "users add": {
        const user = await store.addUser({ email: need(flags.email, "--email"), password: need(flags.password, "--password"), name: flags.name });
        out(`Added ${user.email} (${user.id}) to ${tenant.label}.`);
        return 0;
      }
      case "users list": {
        const users = store.listUsers();
        if (users.length === 0) out(`No users in ${tenant.label}.`);
        // Names and addresses come from whoever signed up: escaped, so they cannot drive the terminal.
        for (const user of users) out(`${escapeControls(user.id)}  ${escapeControls(user.email)}  ${escapeControls(user.name)}  created ${user.createdAt}`);
        return 0;
      }
      case "users remove": {
        const email = need(flags.email, "--email");
        if (!store.removeUser(email)) throw new GatehouseError("GH_ERR_IDP_INVALID", `No user ${escapeControls(email)} in ${tenant.label}. Fix: \`gatehouse idp users list\`.`);
        out(`Removed ${escapeControls(email)} from ${tenant.label}.`);
        return 0;
      }
      case "apps list": {
        const apps = store.listApplications();
        if (apps.length === 0) out(`No applications in ${tenant.label} yet: run \`gatehouse dev\` once to create them.`);
        for (const app of apps) out(describeApplication(app));
        return 0;
      }
      case "apps update": {
        const clientId = need(flags.clientId, "--client-id");
        const existing = store.getApplication(clientId);
        if (!existing) {
          const known = store.listApplications().map((app) => app.clientId);
          throw new GatehouseError(
            "GH_ERR_IDP_INVALID",
            `No application ${clientId} in ${tenant.label}. Fix: pass one of ${known.length ? known.join(", ") : "(none yet: run `gatehouse dev` once)"} as --client-id.`,
          );
        }
        if (!flags.callback && !flags.logoutUrl && !flags.origin) {
          throw new GatehouseError("GH_ERR_FLAG_INVALID", "gatehouse idp apps update: nothing to change. Fix: pass --callback, --logout-url or --origin.");
        }
        const merge = (current: string[], given: string[] | undefined) => (given === undefined ? undefined : flags.replace ? given : [...current, ...given]);
        const updated = store.updateApplication(clientId, {
          callbackUrls: merge(existing.callbacks, flags.callback),
          logoutUrls: merge(existing.logoutUrls, flags.logoutUrl),
          webOrigins: merge(existing.webOrigins, flags.origin),
        });
        out(`Updated ${clientId} in ${tenant.label}; a running gatehouse dev uses it at once.`);
        out(describeApplication(updated));
        return 0;
      }
      case "keys rotate": {
        const key = await store.rotateKeys();
        out(`New signing key ${key.kid} for ${tenant.label}; the previous key stays published until its tokens expire.`);
        return 0;
      }
      case "token": {
        if (isCognitoIssuer(tenant.issuer)) {
          out(JSON.stringify(await cognitoTokensFor(tenant, store, need(flags.email, "--email"), need(flags.password, "--password"), flags.clientId), null, 2));
          return 0;
        }
        const { issueTokensViaLogin } = await import("../dev/issue-tokens.js");
        const tokens = await issueTokensViaLogin(tenant, store, {
          email: need(flags.email, "--email"),
          password: need(flags.password, "--password"),
          audience: flags.audience,
          clientId: flags.clientId,
          scope: flags.scope,
        });
        out(JSON.stringify(tokens, null, 2));
        return 0;
      }
    }
  } finally {
    store.close();
  }
}

function describeApplication(app: ApplicationRecord): string {
  const list = (urls: string[]) => (urls.length ? urls.join(", ") : "(none)");
  return [
    `${app.clientId}  ${app.name}`,
    `  secret:      ${app.clientSecret}`,
    `  callbacks:   ${list(app.callbacks)}`,
    `  logout URLs: ${list(app.logoutUrls)}`,
    `  web origins: ${list(app.webOrigins)}`,
  ].join("\n");
}

/**
 * `gatehouse idp credentials create|list`: the stage's local IAM key pairs, which its AWS_IAM routes accept.
 * Printed as shell exports so `eval $(gatehouse idp credentials create)` sets up an AWS SDK or CLI.
 */
function credentialsCommand(action: "credentials create" | "credentials list", flags: IdpFlags, out: (line: string) => void): number {
  const config = loadConfig(process.cwd(), { stage: flags.stage });
  const store = new IamCredentialStore(iamCredentialsFile(stageStateDir(config)));
  if (action === "credentials create") {
    const credential = store.mint(flags.name ?? `gatehouse-${store.list().length + 1}`);
    out(`export AWS_ACCESS_KEY_ID=${credential.accessKeyId}`);
    out(`export AWS_SECRET_ACCESS_KEY=${credential.secretAccessKey}`);
    out(`export AWS_REGION=${config.region}`);
    return 0;
  }
  const all = store.list();
  if (all.length === 0) out(`No IAM key pairs for stage ${config.stage} yet: run \`gatehouse dev\` or \`gatehouse idp credentials create\`.`);
  for (const credential of all) out(`${credential.accessKeyId}  ${credential.userArn}  created ${credential.createdAt}`);
  return 0;
}

/** Tokens of a Cognito pool the embedded provider plays, as `InitiateAuth` would give them. */
async function cognitoTokensFor(tenant: TenantLocation, store: TenantStore, email: string, password: string, clientId: string | undefined) {
  const client = clientId ?? tenant.clientIds[0] ?? store.listApplications()[0]?.clientId;
  if (!client || !store.getApplication(client)) {
    throw new GatehouseError("GH_ERR_IDP_INVALID", `${tenant.label} has no app client${clientId ? ` ${clientId}` : ""}. Fix: run \`gatehouse dev\` once, or check --client-id.`);
  }
  const user = await store.verifyCredentials(email, password);
  if (!user) throw new GatehouseError("GH_ERR_IDP_INVALID", `Incorrect username or password for ${email} in ${tenant.label}.`);
  const tokens = await issueCognitoTokens(tenant.issuer!, store, user, client);
  return { id_token: tokens.IdToken, access_token: tokens.AccessToken, token_type: tokens.TokenType, expires_in: tokens.ExpiresIn };
}
