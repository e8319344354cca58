import { formatNextSteps } from "../create/next-steps.js";
import { scaffoldApp } from "../create/scaffold-app.js";
import { parseLanguage, parseTemplateName } from "../create/template-catalog.js";
import { GatehouseError } from "../errors.js";
import type { CreateFlags } from "./commands/create.js";

/** `gatehouse create <dir>`: scaffolds an SST app from a template, installing nothing. */
export async function createCommand(dir: string, flags: CreateFlags): Promise<number> {
  if (dir === "") {
    throw new GatehouseError("GH_ERR_FLAG_INVALID", "gatehouse create: <dir> is empty. Fix: name the directory for the new app, e.g. `gatehouse create my-app`.");
  }
  // Both flags are checked before anything is written, so a typo leaves no half-made directory.
  const template = flags.template === undefined ? undefined : parseTemplateName(flags.template);
  const language = flags.language === undefined ? undefined : parseLanguage(flags.language);
  const app = scaffoldApp({ dir, template, language });
  process.stdout.write(`${formatNextSteps(app, dir)}\n`);
  return 0;
}
