import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FunctionSpec } from "../../src/runtime/types.js";

/** A temp dir of tiny handler bundles written by a test; `spec()` describes one of them. */
export interface BundleDir {
  dir: string;
  /** Writes `<name>.mjs` and returns its path. */
  write(name: string, source: string): string;
  /** A FunctionSpec for `<name>.mjs` (written beforehand) with test-friendly defaults. */
  spec(name: string, overrides?: Partial<FunctionSpec>): FunctionSpec;
  remove(): void;
}

/** Creates a temp dir for handler bundles. */
export function bundleDir(): BundleDir {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-runtime-"));
  return {
    dir,
    write(name, source) {
      const path = join(dir, `${name}.mjs`);
      writeFileSync(path, source);
      return path;
    },
    spec(name, overrides = {}) {
      return {
        id: name,
        functionName: `test-${name}`,
        handler: `src/${name}.main`,
        bundlePath: join(dir, `${name}.mjs`),
        exportName: "main",
        environment: {},
        region: "us-east-1",
        timeoutMs: 5_000,
        memoryMb: 128,
        version: "v1",
        ...overrides,
      };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The JSON payload of a successful outcome, parsed; fails the test on an error outcome. */
export function payloadOf(outcome: { ok: boolean; payload?: string; message?: string }): unknown {
  if (!outcome.ok) throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return JSON.parse(outcome.payload as string);
}

/** Waits until `check` holds, polling every 10 ms, or fails after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
