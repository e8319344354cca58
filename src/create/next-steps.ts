import { resolve } from "node:path";
import type { ScaffoldedApp } from "./scaffold-app.js";
import type { TemplateName } from "./template-catalog.js";

// `gatehouse dev` serves the first Api on port 4000 unless --port says otherwise.
const ENDPOINT = "http://127.0.0.1:4000";

/** What to try once the app is served, per template. */
const TRY_IT: Record<TemplateName, string[]> = {
  "api-auth-jwt-auth0": [
    `  curl ${ENDPOINT}/public     # Hello stranger!`,
    `  curl ${ENDPOINT}/private    # {"message":"Unauthorized"}`,
    "",
    "To call /private as a user: open the Login URL that gatehouse dev prints, sign up, copy the ?code=…",
    "from the callback URL, run the printed curl to exchange it for tokens, then:",
    `  curl ${ENDPOINT}/private -H "Authorization: Bearer <id_token>"    # Hello user!`,
  ],
  minimal: [`  curl ${ENDPOINT}/    # Hello from Gatehouse!`],
};

/** The summary `gatehouse create` prints: what was written, and the commands to run next. */
export function formatNextSteps(app: ScaffoldedApp, dirAsGiven: string): string {
  const lines = [
    `Created ${app.name} from the ${app.template} template (${app.language}) in ${app.root}:`,
    ...app.files.map((file) => `  ${file}`),
    "",
    "Nothing to install: gatehouse dev serves the SST and CDK imports itself.",
    "",
    "Next steps:",
    // Created in the current directory (`gatehouse create .`): there is nowhere to cd to.
    ...(app.root === resolve(".") ? [] : [`  cd ${shellQuote(dirAsGiven)}`]),
    "  gatehouse dev",
    "",
    "Then, in another terminal:",
    ...TRY_IT[app.template],
  ];
  if (app.language === "typescript") {
    lines.push("", "For editor types and `npm run typecheck`, run `npm install` once (gatehouse dev does not need it).");
  }
  return lines.join("\n");
}

/** `value` as one shell word: left bare when it is plain, single-quoted otherwise. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./~-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
