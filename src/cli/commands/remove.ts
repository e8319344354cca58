import { type Command, Option } from "commander";
import { runAction } from "./options.js";

/** Flags of `gatehouse remove`. */
export interface RemoveFlags {
  stage?: string;
  yes?: boolean;
  target?: "host" | "aws";
}

/** `gatehouse remove`. */
export function removeDefinition(program: Command): void {
  program
    .command("remove")
    .description("remove a deployed stage: its artifacts and state on the host (refused while `gatehouse dev` serves it), or its AWS stacks")
    .option("--stage <name>", "stage name (default: sst.json's stage)")
    .addOption(new Option("--target <target>", 'where the stage was deployed (default: sst.json "gatehouse": { "target" }, else host)').choices(["host", "aws"]))
    .option("-y, --yes", "delete a stage whose identity tenant holds users without asking")
    .action((flags: RemoveFlags) => runAction(async () => (await import("../remove-command.js")).removeCommand(flags)));
}
