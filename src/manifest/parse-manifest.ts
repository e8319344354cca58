import { GatehouseError } from "../errors.js";
import { MANIFEST_VERSION, type Manifest, ManifestSchema } from "./manifest.js";

/**
 * A manifest from untrusted storage (an artifact on disk, a file another Gatehouse wrote): validated against
 * the schema, with a version this Gatehouse understands. `source` names where it came from, for the error.
 */
export function parseManifest(value: unknown, source: string): Manifest {
  const version = (value as { version?: unknown } | null)?.version;
  if (version !== MANIFEST_VERSION) {
    throw new GatehouseError(
      "GH_ERR_MANIFEST_INVALID",
      `${source}: manifest version ${JSON.stringify(version)} is not the version this Gatehouse reads (${MANIFEST_VERSION}). Fix: deploy the app again with this Gatehouse.`,
    );
  }
  const parsed = ManifestSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new GatehouseError("GH_ERR_MANIFEST_INVALID", `${source}: the manifest is malformed (${problems.join("; ")}). Fix: deploy the app again.`);
  }
  return parsed.data;
}
