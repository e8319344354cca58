/** Manifests for tests that build one by hand: every required field filled, the parts under test overridden. */
import { type FunctionManifest, MANIFEST_VERSION, type Manifest } from "../../src/manifest/manifest.js";

/** A Node.js function of stack `my-stack` whose handler is `<file without extension>.<exportName>`. */
export function functionManifest(id: string, entry: string, overrides: Partial<FunctionManifest> = {}): FunctionManifest {
  const exportName = overrides.exportName ?? "main";
  return {
    id,
    stackId: "my-stack",
    constructId: `Lambda_${id}`,
    handler: `${entry.replace(/\.[cm]?[jt]sx?$/, "")}.${exportName}`,
    entry,
    exportName,
    functionName: id,
    environment: {},
    timeout: 10,
    memorySize: 1024,
    runtime: "nodejs20.x",
    logRetentionDays: null,
    permissions: [],
    location: null,
    ...overrides,
  };
}

/** An app with nothing in it but what `partial` adds. */
export function emptyManifest(partial: Partial<Manifest> = {}): Manifest {
  return {
    version: MANIFEST_VERSION,
    app: { name: "app", stage: "dev", region: "us-east-1", root: "/app" },
    stacks: [],
    apis: [],
    functions: {},
    auths: [],
    tables: [],
    notices: [],
    topics: [],
    queues: [],
    crons: [],
    staticSites: [],
    cdkCode: { ops: [], values: {} },
    unemulated: [],
    ...partial,
  };
}
