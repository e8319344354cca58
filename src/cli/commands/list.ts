import { type Command, Option } from "commander";
import { runAction } from "./options.js";

/** Flags of `gatehouse list`. */
export interface ListFlags {
  target?: "host" | "aws";
}

/** `gatehouse list`. */
export function listDefinition(program: Command): void {
  program
    .command("list")
    .description("deployed stages, on this machine's host and on AWS: target, app, stage, version, endpoint, time, serving")
    .addOption(new Option("--target <target>", "only this target's stages").choices(["host", "aws"]))
    .action((flags: ListFlags) => runAction(async () => (await import("../list-command.js")).listCommand(flags)));
}
