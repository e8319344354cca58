import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The variables SST v0.13+ loads for the stacks from `.env` files in the app root (docs/sst-apps.md): highest
 * priority first `.env.<stage>.local`, `.env.<stage>`, `.env.local`, `.env`. A variable already set in the
 * environment (or by a file of higher priority) is never overwritten; `$VAR` and `${VAR}` expand.
 */
export function readDotenvFiles(root: string, stage: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const loaded: Record<string, string> = {};
  for (const name of [`.env.${stage}.local`, `.env.${stage}`, ".env.local", ".env"]) {
    const file = join(root, name);
    if (!existsSync(file)) continue;
    for (const [key, raw] of parseDotenv(readFileSync(file, "utf8"))) {
      if (key in loaded || env[key] !== undefined) continue;
      loaded[key] = raw;
    }
  }
  const lookup = (key: string): string => loaded[key] ?? env[key] ?? "";
  for (const key of Object.keys(loaded)) {
    loaded[key] = loaded[key].replace(/(\\)?\$(?:\{(\w+)\}|(\w+))/g, (whole, escaped: string | undefined, braced?: string, bare?: string) =>
      escaped ? whole.slice(1) : lookup((braced ?? bare) as string),
    );
  }
  return loaded;
}

/** `KEY=value` lines: `export ` prefixes, `#` comments, single/double quotes (`\n` in double quotes). */
function parseDotenv(text: string): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n");
    } else {
      value = value.replace(/\s+#.*$/, "");
    }
    entries.push([match[1], value]);
  }
  return entries;
}
