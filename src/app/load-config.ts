import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { GatehouseError } from "../errors.js";

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

const SstJsonSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, "letters, digits and dashes, starting with a letter or digit"),
  stage: z.string().regex(STAGE_NAME, "letters, digits, - and _ (at most 128)").default("dev"),
  region: z.string().min(1).default("us-east-1"),
  main: z.string().min(1).optional(),
  // Gatehouse's own settings; SST ignores unknown keys, so the file stays a valid SST config.
  gatehouse: z
    .object({
      callbackUrls: z.array(z.string().url()).optional(),
      logoutUrls: z.array(z.string().url()).optional(),
      webOrigins: z.array(z.string().url()).optional(),
    })
    .strict()
    .optional(),
});

/** URLs every application of the app's embedded identity tenants allows, beside the walkthrough's callback. */
export interface ApplicationUrls {
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  readonly webOrigins: readonly string[];
}

/** The app's configuration after sst.json and flags are combined. Frozen. */
export interface AppConfig {
  readonly root: string;
  readonly configFile: string;
  readonly name: string;
  readonly stage: string;
  readonly region: string;
  /** Absolute path of the stacks entry. */
  readonly main: string;
  /** sst.json's `gatehouse.callbackUrls`, `logoutUrls` and `webOrigins` (empty when absent). */
  readonly applicationUrls: ApplicationUrls;
}

const DEFAULT_MAINS = ["stacks/index.ts", "stacks/index.js", "stacks/index.mjs", "stacks/index.tsx", "stacks/index.jsx"];

/** Finds sst.json from `cwd` upwards, validates it, and applies the `--stage`/`--region` overrides. */
export function loadConfig(cwd: string, overrides: { stage?: string; region?: string } = {}): AppConfig {
  const configFile = findUp(resolve(cwd), "sst.json");
  if (!configFile) {
    throw new GatehouseError("GH_ERR_CONFIG_NOT_FOUND", `No sst.json in ${resolve(cwd)} or above. Fix: run gatehouse in an app directory, or create one with \`gatehouse create my-app\`.`);
  }
  const raw = parseJson(configFile, readFileSync(configFile, "utf8"));
  const parsed = SstJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `"${issue.path.join(".") || "(root)"}": ${issue.message}`);
    throw new GatehouseError("GH_ERR_CONFIG_INVALID", `${configFile}: ${problems.join("; ")}.`);
  }
  if (overrides.stage !== undefined && !STAGE_NAME.test(overrides.stage)) {
    throw new GatehouseError("GH_ERR_FLAG_INVALID", `--stage "${overrides.stage}": a stage name takes letters, digits, - and _ (at most 128).`);
  }
  const root = dirname(configFile);
  const main = parsed.data.main ? join(root, parsed.data.main) : DEFAULT_MAINS.map((file) => join(root, file)).find(existsSync);
  if (!main || !existsSync(main)) {
    throw new GatehouseError(
      "GH_ERR_STACKS_ENTRY_NOT_FOUND",
      `${configFile}: the stacks entry ${parsed.data.main ?? "stacks/index.{js,ts}"} does not exist. Fix: create it, exporting \`export default function main(app) { ... }\`.`,
    );
  }
  return Object.freeze({
    root,
    configFile,
    name: parsed.data.name,
    stage: overrides.stage ?? parsed.data.stage,
    region: overrides.region ?? parsed.data.region,
    main,
    applicationUrls: Object.freeze({
      callbackUrls: parsed.data.gatehouse?.callbackUrls ?? [],
      logoutUrls: parsed.data.gatehouse?.logoutUrls ?? [],
      webOrigins: parsed.data.gatehouse?.webOrigins ?? [],
    }),
  });
}

/** Parses JSON text, or CONFIG_INVALID naming `file:line:column` of the first syntax error. */
function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = (err as Error).message.replace(/ in JSON at position \d+.*$/, "").replace(/^JSON\.parse: /, "");
    const position = /at position (\d+)/.exec((err as Error).message);
    const offset = position ? Number(position[1]) : text.length;
    const before = text.slice(0, offset).split("\n");
    const line = before.length;
    const column = before[before.length - 1].length + 1;
    throw new GatehouseError("GH_ERR_CONFIG_INVALID", `${file}:${line}:${column}: not valid JSON (${reason}). Fix the syntax there.`);
  }
}

function findUp(dir: string, name: string): string | null {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return null;
  }
}
