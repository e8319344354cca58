import { type Command, Option } from "commander";
import { parsePort, runAction } from "./options.js";

/** Flags of `gatehouse dev`, as commander parses them. */
export interface DevFlags {
  port?: number;
  stage?: string;
  idpPort?: number;
  idp?: "embedded" | "remote";
  consolePort?: number;
  /** False with --no-console. */
  console?: boolean;
  quiet?: boolean;
}

/** `gatehouse dev` (alias `start`). */
export function devDefinition(program: Command): void {
  program
    .command("dev")
    .alias("start")
    .description("serve the app in this directory as API Gateway + Lambda would, reloading on save")
    .option("--port <n>", "port of the first Api; 0 picks a free one (default 4000)", parsePort)
    .option("--stage <name>", "stage name (default: sst.json's stage)")
    .option("--idp-port <n>", "port of the first embedded identity provider; 0 picks a free one (default 4100)", parsePort)
    .addOption(
      new Option("--idp <mode>", "embedded: impersonate the issuers the app names; remote: contact them as they are")
        .choices(["embedded", "remote"])
        .default("embedded"),
    )
    .option("--console-port <n>", "port of the dev console; 0 picks a free one (default: the first Api's port + 300)", parsePort)
    .option("--no-console", "do not serve the dev console")
    .option("--quiet", "no access line per request (errors and handler output still print)")
    .action((flags: DevFlags) => runAction(async () => (await import("../dev-command.js")).devCommand(flags)));
}
