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
  /** Gatehouse's own settings; SST ignores keys it does not know. */
  gatehouse: z
    .object({
      /** Where `deploy`, `remove` and `list` go without `--target` (docs/aws-target.md). */
      target: z.enum(["host", "aws"], "\"host\" or \"aws\"").optional(),
    })
    .optional(),
});

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
}

const DEFAULT_MAINS = ["stacks/index.ts", "stacks/index.js", "stacks/index.mjs", "stacks/index.tsx", "stacks/index.jsx"];

/** Finds sst.json from `cwd` upwards, validates it, and applies the `--stage`/`--region` overrides. */
export function loadConfig(cwd: string, overrides: { stage?: string; region?: string } = {}): AppConfig {
  const configFile = findUp(resolve(cwd), "sst.json");
  if (!configFile) {
    throw new GatehouseError("GH_ERR_CONFIG_NOT_FOUND", `No sst.json in ${resolve(cwd)} or above. Fix: run gatehouse in an app directory, or create one with \`gatehouse create my-app\`.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(configFile, "utf8"));
  } catch (err) {
    throw new GatehouseError("GH_ERR_CONFIG_INVALID", `${configFile}: not valid JSON (${(err as Error).message}). Fix the syntax.`);
  }
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
    target: parsed.data.gatehouse?.target ?? "host",
  });
}

function findUp(dir: string, name: string): string | null {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return null;
  }
}
