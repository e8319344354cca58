import { pickTenant, locateTenants } from "../dev/app-tenants.js";
import { GatehouseError } from "../errors.js";
import { TenantStore } from "../identity/tenant-store.js";
import { escapeControls } from "../terminal-text.js";
import { parseFlags } from "./parse-flags.js";

const USAGE = "gatehouse idp users add|list|remove, idp apps list, idp keys rotate, idp token";

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
