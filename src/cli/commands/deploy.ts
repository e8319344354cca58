import { type Command, Option } from "commander";
import { runAction } from "./options.js";

/** Flags of `gatehouse deploy`. */
export interface DeployFlags {
  stage?: string;
  idp?: "embedded" | "remote";
  target?: "host" | "aws";
}

/** `gatehouse deploy`. */
export function deployDefinition(program: Command): void {
  program
    .command("deploy")
    .description("deploy a stage: to this machine's host (stable local ports) or to AWS (API Gateway + Lambda)")
    .option("--stage <name>", "stage name (default: sst.json's stage)")
    .addOption(new Option("--target <target>", 'where the stage goes (default: sst.json "gatehouse": { "target" }, else host)').choices(["host", "aws"]))
    .addOption(
      new Option(
        "--idp <mode>",
        "remote: trust the issuers the app names (warns when one is unreachable); embedded: the stage impersonates them with its own tenant, for previews offline (host only)",
      )
        .choices(["remote", "embedded"])
        .default("remote"),
    )
    .action((flags: DeployFlags) => runAction(async () => (await import("../deploy-command.js")).deployCommand(flags)));
}
