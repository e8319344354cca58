import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { GatehouseError } from "../errors.js";

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

const SstJsonSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, "letters, digits and dashes, starting with a letter or digit"),
  stage: z.string().regex(STAGE_NAME, "letters, digits, - and _ (at most 128)").optional(),
  region: z.string().min(1).default("us-east-1"),
  main: z.string().min(1).optional(),
  // Gatehouse's own settings; SST ignores unknown keys, so the file stays a valid SST config.
  gatehouse: z
    .object({
      /** Where `deploy`, `remove` and `list` go without `--target` (docs/aws-target.md). */
      target: z.enum(["host", "aws"], "\"host\" or \"aws\"").optional(),
      callbackUrls: z.array(z.string().url()).optional(),
      logoutUrls: z.array(z.string().url()).optional(),
      webOrigins: z.array(z.string().url()).optional(),
    })
    .strict()
    .optional(),
  /** SST v0.35+: a file (from the app root) exporting esbuild `plugins` for the stacks and every Node function. */
  esbuildConfig: z.string().min(1).optional(),
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
  /** The deploy target sst.json names (`"gatehouse": { "target": "aws" }`), else `host`. */
  readonly target: "host" | "aws";
  /** Absolute path of sst.json's `esbuildConfig` file, when set. */
  readonly esbuildConfig?: string;
  /** sst.json's `gatehouse.callbackUrls`, `logoutUrls` and `webOrigins` (empty when absent). */
  readonly applicationUrls: ApplicationUrls;
}

/**
 * Where the stacks entry is looked for when sst.json has no `main`, in order (docs/sst-apps.md): SST 0.x's own
 * default `lib/index.ts` then `lib/index.js`, then `stacks/index.*`, which later templates name in `main` and
 * which apps written for Gatehouse use without it.
 */
export const DEFAULT_MAINS = [
  "lib/index.ts",
  "lib/index.js",
  "stacks/index.ts",
  "stacks/index.js",
  "stacks/index.mjs",
  "stacks/index.tsx",
  "stacks/index.jsx",
];

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
  const main = resolveStacksEntry(root, configFile, parsed.data.main);
  const esbuildConfig = parsed.data.esbuildConfig === undefined ? undefined : join(root, parsed.data.esbuildConfig);
  if (esbuildConfig !== undefined && !existsSync(esbuildConfig)) {
    throw new GatehouseError(
      "GH_ERR_CONFIG_INVALID",
      `${configFile}: "esbuildConfig" names ${parsed.data.esbuildConfig}, which does not exist. Fix: create it (module.exports = { plugins: [...] }) or remove the key.`,
    );
  }
  return Object.freeze({
    root,
    configFile,
    name: parsed.data.name,
    stage: overrides.stage ?? parsed.data.stage ?? savedStage(root) ?? "dev",
    region: overrides.region ?? parsed.data.region,
    main,
    target: parsed.data.gatehouse?.target ?? "host",
    ...(esbuildConfig === undefined ? {} : { esbuildConfig }),
    applicationUrls: Object.freeze({
      callbackUrls: parsed.data.gatehouse?.callbackUrls ?? [],
      logoutUrls: parsed.data.gatehouse?.logoutUrls ?? [],
      webOrigins: parsed.data.gatehouse?.webOrigins ?? [],
    }),
  });
}

/** The stacks entry: sst.json `main`, else the first of DEFAULT_MAINS that exists; the error names every path tried. */
export function resolveStacksEntry(root: string, configFile: string, main: string | undefined): string {
  const searched = main === undefined ? DEFAULT_MAINS : [main];
  const found = searched.map((file) => join(root, file)).find((path) => existsSync(path));
  if (found) return found;
  const fix =
    main === undefined
      ? `create lib/index.js (SST 0.x's default) or set "main" in sst.json, exporting \`export default function main(app) { ... }\``
      : `create ${main}, or correct "main" in sst.json`;
  throw new GatehouseError(
    "GH_ERR_STACKS_ENTRY_NOT_FOUND",
    `${configFile}: no stacks entry; looked for ${searched.join(", ")}${main === undefined ? ' (sst.json has no "main")' : ""} in ${root}. Fix: ${fix}.`,
  );
}

/** The stage SST saved for this machine's user in `.sst/stage` (SST v0.41+), if any. */
function savedStage(root: string): string | undefined {
  const file = join(root, ".sst", "stage");
  if (!existsSync(file)) return undefined;
  const stage = readFileSync(file, "utf8").trim();
  return STAGE_NAME.test(stage) ? stage : undefined;
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
