import type { Manifest } from "../manifest/manifest.js";
import { type TokenValues, resolveTokens } from "../manifest/tokens.js";

/** Each stack's outputs with tokens resolved, keyed by stack name. */
export function resolveOutputs(manifest: Manifest, values: TokenValues): Record<string, Record<string, string>> {
  return Object.fromEntries(
    manifest.stacks.map((stack) => [
      stack.name,
      Object.fromEntries(Object.entries(stack.outputs).map(([key, value]) => [key, resolveTokens(value, values)])),
    ]),
  );
}

/** The outputs block SST prints after a deploy. */
export function formatOutputs(outputs: Record<string, Record<string, string>>): string {
  return Object.entries(outputs)
    .map(([stackName, values]) => {
      const lines = [`Stack ${stackName}`, "  Status: deployed"];
      const entries = Object.entries(values);
      if (entries.length > 0) lines.push("  Outputs:", ...entries.map(([key, value]) => `    ${key}: ${value}`));
      return lines.join("\n");
    })
    .join("\n\n");
}
