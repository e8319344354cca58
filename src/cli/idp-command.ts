import { pickTenant, locateTenants } from "../dev/app-tenants.js";
import { GatehouseError } from "../errors.js";
import { TenantStore } from "../identity/tenant-store.js";
import { issueCognitoTokens, isCognitoIssuer } from "../identity/cognito-tokens.js";
import type { TenantLocation } from "../dev/app-tenants.js";
import { loadConfig } from "../app/load-config.js";
import { stageStateDir } from "../app/stage-paths.js";
import { IamCredentialStore, iamCredentialsFile } from "../identity/iam-credentials.js";
import { escapeControls } from "../terminal-text.js";
import { parseFlags } from "./parse-flags.js";

const USAGE = "gatehouse idp users add|list|remove, idp apps list, idp keys rotate, idp token, idp credentials create|list";

/** `gatehouse idp …`: manage the embedded tenants of the app in this directory, whether or not dev runs. */
export async function idpCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseFlags(
    argv,
    {
      stage: { type: "string" },
      issuer: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      audience: { type: "string" },
      "client-id": { type: "string" },
      scope: { type: "string" },
    },
    "idp",
  );
  const [area, action] = positionals;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (area === "credentials") return credentialsCommand(action, values, out);
  const { tenants } = await locateTenants(process.cwd(), values.stage);
  const tenant = pickTenant(tenants, values.issuer);
  const store = new TenantStore(tenant.dataDir);
  const need = (value: string | undefined, flag: string): string => {
    if (value === undefined || value === "") throw new GatehouseError("GH_ERR_FLAG_INVALID", `gatehouse idp ${area} ${action ?? ""}: ${flag} is required.`);
    return value;
  };
  try {
    switch (`${area} ${action ?? ""}`.trim()) {
      case "users add": {
        const user = await store.addUser({ email: need(values.email, "--email"), password: need(values.password, "--password"), name: values.name });
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
        const email = need(values.email, "--email");
        if (!store.removeUser(email)) throw new GatehouseError("GH_ERR_IDP_INVALID", `No user ${escapeControls(email)} in ${tenant.label}. Fix: \`gatehouse idp users list\`.`);
        out(`Removed ${escapeControls(email)} from ${tenant.label}.`);
        return 0;
      }
      case "apps list": {
        const apps = store.listApplications();
        if (apps.length === 0) out(`No applications in ${tenant.label} yet: run \`gatehouse dev\` once to create them.`);
        for (const app of apps) {
          out(`${app.clientId}  ${app.name}\n  secret:    ${app.clientSecret}\n  callbacks: ${app.callbacks.join(", ")}`);
        }
        return 0;
      }
      case "keys rotate": {
        const key = await store.rotateKeys();
        out(`New signing key ${key.kid} for ${tenant.label}; the previous key stays published until its tokens expire.`);
        return 0;
      }
      case "token": {
        if (isCognitoIssuer(tenant.issuer)) {
          out(JSON.stringify(await cognitoTokensFor(tenant, store, need(values.email, "--email"), need(values.password, "--password"), values["client-id"]), null, 2));
          return 0;
        }
        const { issueTokensViaLogin } = await import("../dev/issue-tokens.js");
        const tokens = await issueTokensViaLogin(tenant, store, {
          email: need(values.email, "--email"),
          password: need(values.password, "--password"),
          audience: values.audience,
          clientId: values["client-id"],
          scope: values.scope,
        });
        out(JSON.stringify(tokens, null, 2));
        return 0;
      }
      default:
        throw new GatehouseError("GH_ERR_FLAG_INVALID", `gatehouse idp: unknown command "${positionals.join(" ")}". Use ${USAGE}.`);
    }
  } finally {
    store.close();
  }
}

/**
 * `gatehouse idp credentials create|list`: the stage's local IAM key pairs, which its AWS_IAM routes accept.
 * Printed as shell exports so `eval $(gatehouse idp credentials create)` sets up an AWS SDK or CLI.
 */
function credentialsCommand(action: string | undefined, values: { stage?: string; name?: string }, out: (line: string) => void): number {
  const config = loadConfig(process.cwd(), { stage: values.stage });
  const store = new IamCredentialStore(iamCredentialsFile(stageStateDir(config)));
  switch (action ?? "create") {
    case "create": {
      const credential = store.mint(values.name ?? `gatehouse-${store.list().length + 1}`);
      out(`export AWS_ACCESS_KEY_ID=${credential.accessKeyId}`);
      out(`export AWS_SECRET_ACCESS_KEY=${credential.secretAccessKey}`);
      out(`export AWS_REGION=${config.region}`);
      return 0;
    }
    case "list": {
      const all = store.list();
      if (all.length === 0) out(`No IAM key pairs for stage ${config.stage} yet: run \`gatehouse dev\` or \`gatehouse idp credentials create\`.`);
      for (const credential of all) out(`${credential.accessKeyId}  ${credential.userArn}  created ${credential.createdAt}`);
      return 0;
    }
    default:
      throw new GatehouseError("GH_ERR_FLAG_INVALID", `gatehouse idp credentials: unknown action "${action}". Use create or list.`);
  }
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
