import type { Command } from "commander";
import { runAction } from "./options.js";
import { LANGUAGES, TEMPLATE_NAMES } from "../../create/template-catalog.js";

/** Flags of `gatehouse create`. */
export interface CreateFlags {
  template?: string;
  language?: string;
}

/** `gatehouse create <dir>`. */
export function createDefinition(program: Command): void {
  program
    .command("create")
    .description("scaffold an SST app from a template (the Auth0 walkthrough by default), installing nothing")
    .argument("<dir>", "directory for the new app (must not exist or be empty)")
    .option("--template <name>", `${TEMPLATE_NAMES.join(" | ")} (default ${TEMPLATE_NAMES[0]})`)
    .option("--language <name>", `${LANGUAGES.join(" | ")} (default ${LANGUAGES[0]})`)
    .action((dir: string, flags: CreateFlags) => runAction(async () => (await import("../create-command.js")).createCommand(dir, flags)));
}
