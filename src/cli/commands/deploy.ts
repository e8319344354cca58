import { type Command, Option } from "commander";
import { runAction } from "./options.js";

/** Flags of `gatehouse deploy`. */
export interface DeployFlags {
  stage?: string;
  idp?: "embedded" | "remote";
}

/** `gatehouse deploy`. */
export function deployDefinition(program: Command): void {
  program
    .command("deploy")
    .description("build production bundles and serve them from the host on stable ports")
    .option("--stage <name>", "stage name (default: sst.json's stage)")
    .addOption(
      new Option(
        "--idp <mode>",
        "remote: trust the issuers the app names (warns when one is unreachable); embedded: the stage impersonates them with its own tenant, for previews offline",
      )
        .choices(["remote", "embedded"])
        .default("remote"),
    )
    .action((flags: DeployFlags) => runAction(async () => (await import("../deploy-command.js")).deployCommand(flags)));
}
