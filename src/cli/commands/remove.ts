import type { Command } from "commander";
import { runAction } from "./options.js";

/** Flags of `gatehouse remove`. */
export interface RemoveFlags {
  stage?: string;
  yes?: boolean;
}

/** `gatehouse remove`. */
export function removeDefinition(program: Command): void {
  program
    .command("remove")
    .description("stop serving a stage and delete its artifacts and state (refused while `gatehouse dev` serves it)")
    .option("--stage <name>", "stage name (default: sst.json's stage)")
    .option("-y, --yes", "delete a stage whose identity tenant holds users without asking")
    .action((flags: RemoveFlags) => runAction(async () => (await import("../remove-command.js")).removeCommand(flags)));
}
