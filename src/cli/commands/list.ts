import type { Command } from "commander";
import { runAction } from "./options.js";

/** `gatehouse list`. */
export function listDefinition(program: Command): void {
  program
    .command("list")
    .description("deployed stages on this machine: app, stage, version, endpoint, time, serving")
    .action(() => runAction(async () => (await import("../list-command.js")).listCommand()));
}
