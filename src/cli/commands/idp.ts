import type { Command } from "commander";
import { collectList, runAction } from "./options.js";

/** Flags any `gatehouse idp …` command may get. */
export interface IdpFlags {
  stage?: string;
  issuer?: string;
  email?: string;
  password?: string;
  name?: string;
  audience?: string;
  clientId?: string;
  scope?: string;
  callback?: string[];
  logoutUrl?: string[];
  origin?: string[];
  replace?: boolean;
}

export type IdpAction =
  | "users add"
  | "users list"
  | "users remove"
  | "apps list"
  | "apps update"
  | "keys rotate"
  | "token"
  | "credentials create"
  | "credentials list";

/** Every idp command acts on one tenant of one stage. */
function tenantOptions(command: Command): Command {
  return command
    .option("--stage <name>", "stage name (default: sst.json's stage)")
    .option("--issuer <url>", "which tenant, when the app names several issuers");
}

/** `gatehouse idp …`: the embedded identity tenants of the app in this directory, whether or not dev runs. */
export function idpDefinition(program: Command): void {
  const idp = program.command("idp").description("manage the embedded identity tenants (users, applications, keys, tokens)");
  const run = (action: IdpAction) => (flags: IdpFlags) => runAction(async () => (await import("../idp-command.js")).idpCommand(action, flags));

  const users = idp.command("users").description("the tenant's database users");
  tenantOptions(users.command("add").description("add a user"))
    .requiredOption("--email <address>", "the user's e-mail")
    .requiredOption("--password <password>", "8+ characters with three of: lower, upper, digit, special")
    .option("--name <name>", "display name (default: the e-mail)")
    .action(run("users add"));
  tenantOptions(users.command("list").description("list the users")).action(run("users list"));
  tenantOptions(users.command("remove").description("remove a user"))
    .requiredOption("--email <address>", "the user's e-mail")
    .action(run("users remove"));

  const apps = idp.command("apps").description("the tenant's applications (OAuth clients)");
  tenantOptions(apps.command("list").description("client ids, secrets, callback and logout URLs, web origins")).action(run("apps list"));
  tenantOptions(
    apps
      .command("update")
      .description(
        "add allowed URLs to an application; each flag repeats and takes comma-separated URLs, as Auth0's dashboard fields do",
      ),
  )
    .requiredOption("--client-id <id>", "the application (see `idp apps list`)")
    .option("--callback <urls>", "allowed callback URL(s) (redirect_uri)", collectList)
    .option("--logout-url <urls>", "allowed logout URL(s) (returnTo)", collectList)
    .option("--origin <urls>", "allowed web origin(s) (CORS, web_message)", collectList)
    .option("--replace", "replace the lists named by the flags above instead of adding to them")
    .action(run("apps update"));

  const keys = idp.command("keys").description("the tenant's signing keys");
  tenantOptions(keys.command("rotate").description("new signing key; tokens signed by the old one stay valid until they expire")).action(
    run("keys rotate"),
  );

  tenantOptions(idp.command("token").description("log a user in through the real authorization-code flow and print the tokens"))
    .requiredOption("--email <address>", "the user's e-mail")
    .requiredOption("--password <password>", "the user's password")
    .option("--audience <api>", "API identifier for the access token")
    .option("--client-id <id>", "application to log in to (default: the one the app's authorizer expects)")
    .option("--scope <scopes>", "space-separated scopes (default: openid profile)")
    .action(run("token"));

  const credentials = idp.command("credentials").description("local IAM key pairs the app's AWS_IAM routes accept (SigV4)");
  credentials
    .command("create")
    .description("mint a key pair; prints shell exports (eval them for the AWS CLI or SDK)")
    .option("--stage <name>", "stage name (default: sst.json's stage)")
    .option("--name <name>", "a label for the key pair")
    .action(run("credentials create"));
  credentials
    .command("list")
    .description("the stage's key pairs")
    .option("--stage <name>", "stage name (default: sst.json's stage)")
    .action(run("credentials list"));
}
