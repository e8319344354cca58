import { formatNextSteps } from "../create/next-steps.js";
import { scaffoldApp } from "../create/scaffold-app.js";
import { LANGUAGES, parseLanguage, parseTemplateName, TEMPLATE_NAMES } from "../create/template-catalog.js";
import { GatehouseError } from "../errors.js";
import { parseFlags } from "./parse-flags.js";

const USAGE = `Usage: gatehouse create <dir> [--template ${TEMPLATE_NAMES.join("|")}] [--language ${LANGUAGES.join("|")}]`;

/** `gatehouse create <dir>`: scaffolds an SST app from a template, installing nothing. */
export async function createCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { template: { type: "string" }, language: { type: "string" }, help: { type: "boolean", short: "h" } },
    "create",
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n\nTemplates: ${TEMPLATE_NAMES.join(", ")} (default ${TEMPLATE_NAMES[0]}).\n`);
    return 0;
  }
  if (positionals.length === 0 || positionals[0] === "") {
    throw new GatehouseError("GH_ERR_FLAG_INVALID", `gatehouse create: missing <dir>, the directory for the new app. ${USAGE}`);
  }
  if (positionals.length > 1) {
    throw new GatehouseError("GH_ERR_FLAG_INVALID", `gatehouse create: one <dir> expected, got ${positionals.map((p) => `"${p}"`).join(", ")}. ${USAGE}`);
  }
  const dir = positionals[0];
  // Both flags are checked before anything is written, so a typo leaves no half-made directory.
  const template = values.template === undefined ? undefined : parseTemplateName(values.template);
  const language = values.language === undefined ? undefined : parseLanguage(values.language);
  const app = scaffoldApp({ dir, template, language });
  process.stdout.write(`${formatNextSteps(app, dir)}\n`);
  return 0;
}
