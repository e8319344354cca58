/** The function props SST accepts; only handler, srcPath, environment, timeout and memorySize change behaviour here. */
export interface FunctionProps {
  handler?: string;
  srcPath?: string;
  environment?: Record<string, unknown>;
  timeout?: unknown;
  memorySize?: number;
  runtime?: unknown;
  permissions?: unknown;
  logRetention?: unknown;
  [other: string]: unknown;
}

const HONOURED = new Set(["handler", "srcPath", "environment", "timeout", "memorySize", "runtime", "functionName", "bundle", "permissions", "logRetention"]);

/**
 * Merges props left to right; environments merge key by key, later wins; permissions concatenate ("*" at
 * any level stays "*", resolved when the function turns them into manifest data).
 */
export function mergeFunctionProps(...layers: FunctionProps[]): FunctionProps {
  const merged: FunctionProps = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (key === "environment") merged.environment = { ...(merged.environment ?? {}), ...(value as Record<string, unknown>) };
      else if (key === "permissions" && merged.permissions !== undefined) merged.permissions = concatPermissions(merged.permissions, value);
      else merged[key] = value;
    }
  }
  return merged;
}

/** The props in `props` that Gatehouse accepts but does not act on locally. */
export function unhonouredProps(props: FunctionProps): string[] {
  return Object.keys(props).filter((key) => !HONOURED.has(key) && props[key] !== undefined);
}

function concatPermissions(earlier: unknown, later: unknown): unknown {
  if (earlier === "*" || later === "*") return "*";
  return [...(Array.isArray(earlier) ? earlier : [earlier]), ...(Array.isArray(later) ? later : [later])];
}
