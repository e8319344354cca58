import { parseArgs } from "node:util";
import { GatehouseError } from "../errors.js";

type FlagSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

/** Parses flags strictly; an unknown or malformed flag becomes a FLAG_INVALID error naming it. */
export function parseFlags<T extends FlagSpec>(argv: string[], spec: T, command: string) {
  try {
    return parseArgs({ args: argv, options: spec, allowPositionals: true, strict: true });
  } catch (err) {
    throw new GatehouseError("GH_ERR_FLAG_INVALID", `gatehouse ${command}: ${(err as Error).message}. Run \`gatehouse --help\`.`);
  }
}

/** A port flag as a number, or FLAG_INVALID naming the flag. */
export function portFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new GatehouseError("GH_ERR_FLAG_INVALID", `${flag} "${value}" is not a port. Fix: pass a number from 0 to 65535.`);
  }
  return port;
}
