/**
 * The language families of Lambda runtime names (docs/sst-apps.md, "Other runtimes"). Only `node` runs locally
 * today; each other family is one more implementation behind the runtime's LanguageRuntime interface.
 */
export type RuntimeFamily = "node" | "python" | "go" | "dotnet" | "java" | "ruby" | "provided";

const FAMILIES: Array<[RegExp, RuntimeFamily]> = [
  [/^nodejs(\d+(\.\d+|\.x)?)?$/, "node"],
  [/^python\d+(\.\d+)?$/, "python"],
  [/^go1\.x$/, "go"],
  [/^dotnet(core)?\d+(\.\d+)?$/, "dotnet"],
  [/^java\d+(\.al2)?$/, "java"],
  [/^ruby\d+(\.\d+)?$/, "ruby"],
  [/^provided(\.al2(023)?)?$/, "provided"],
];

/** The family of a runtime name; null for a name Lambda does not know. Absent means Node.js. */
export function runtimeFamily(runtime: string | undefined): RuntimeFamily | null {
  if (runtime === undefined) return "node";
  for (const [pattern, family] of FAMILIES) if (pattern.test(runtime)) return family;
  return null;
}
