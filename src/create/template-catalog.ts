import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GatehouseError } from "../errors.js";

/** The app templates `gatehouse create` offers; the first is the default. */
export const TEMPLATE_NAMES = ["api-auth-jwt-auth0", "minimal"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The languages every template is written in; the first is the default. */
export const LANGUAGES = ["javascript", "typescript"] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_TEMPLATE: TemplateName = TEMPLATE_NAMES[0];
export const DEFAULT_LANGUAGE: Language = LANGUAGES[0];

// Two levels up from both src/create/ (tests through tsx) and dist/create/ (the CLI): the package root.
const TEMPLATES_ROOT = fileURLToPath(new URL("../../templates/", import.meta.url));

/** Absolute path of the directory holding one template in one language. */
export function templateDir(template: TemplateName, language: Language): string {
  return join(TEMPLATES_ROOT, template, language);
}

/** `value` as a template name, or FLAG_INVALID listing the choices. */
export function parseTemplateName(value: string): TemplateName {
  if ((TEMPLATE_NAMES as readonly string[]).includes(value)) return value as TemplateName;
  throw new GatehouseError("GH_ERR_FLAG_INVALID", `--template "${value}" is not a template. Choose one of: ${describeChoices(TEMPLATE_NAMES)}.`);
}

/** `value` as a language, or FLAG_INVALID listing the choices. */
export function parseLanguage(value: string): Language {
  if ((LANGUAGES as readonly string[]).includes(value)) return value as Language;
  throw new GatehouseError("GH_ERR_FLAG_INVALID", `--language "${value}" is not a language. Choose one of: ${describeChoices(LANGUAGES)}.`);
}

function describeChoices(choices: readonly string[]): string {
  return choices.map((choice, index) => (index === 0 ? `${choice} (default)` : choice)).join(", ");
}
