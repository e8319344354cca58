import { InvalidArgumentError } from "commander";

/** A port flag's value: an integer from 0 to 65535 (0 picks a free port). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65535) {
    throw new InvalidArgumentError("not a port; pass a number from 0 to 65535");
  }
  return port;
}

/**
 * A list flag that may be repeated and may hold comma-separated values (as Auth0's dashboard fields do):
 * `--callback a --callback b,c` is [a, b, c].
 */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const values = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  return [...(previous ?? []), ...values];
}

/** A count flag's value: a whole number of at least 1. */
export function parseCount(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1) throw new InvalidArgumentError("not a count; pass a whole number of at least 1");
  return count;
}

/** Runs a command's runner (imported lazily by the caller) and makes its exit code the process's. */
export async function runAction(runner: () => Promise<number>): Promise<void> {
  const code = await runner();
  if (code !== 0) process.exitCode = code;
}
