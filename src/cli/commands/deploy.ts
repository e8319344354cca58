import type { Command } from "commander";
import { runAction } from "./options.js";

/** Flags of `gatehouse deploy`. */
export interface DeployFlags {
  stage?: string;
}

/** `gatehouse deploy`. */
export function deployDefinition(program: Command): void {
  program
    .command("deploy")
    .description("build production bundles and serve them from the host on stable ports")
    .option("--stage <name>", "stage name (default: sst.json's stage)")
    .action((flags: DeployFlags) => runAction(async () => (await import("../deploy-command.js")).deployCommand(flags)));
}
