import type { Logger } from "../log.js";
import type { LanguageRuntime } from "./language-runtime.js";
import type { FunctionSpec, InvokeOutcome } from "./types.js";

/** What a function in a runtime Gatehouse does not run answers with (HTTP 501 through an Api). */
export const NOT_LOCAL_STATUS = 501;

/**
 * Stands in for runtimes that are not run locally (Go, Python, .NET, …): every invocation answers at once with a
 * response that names the runtime and the code GH_ERR_RUNTIME_NOT_LOCAL, so a route stays listed and says what is
 * wrong instead of pointing at a missing JavaScript file.
 */
export class NotLocalRuntime implements LanguageRuntime {
  private readonly specs = new Map<string, FunctionSpec & { runtime: string }>();

  constructor(private readonly logger: Logger) {}

  deploy(spec: FunctionSpec & { runtime?: string }): void {
    this.specs.set(spec.id, { ...spec, runtime: spec.runtime ?? "unknown" });
  }

  async prewarm(): Promise<void> {}

  remove(functionId: string): void {
    this.specs.delete(functionId);
  }

  async invoke(functionId: string): Promise<InvokeOutcome> {
    const spec = this.specs.get(functionId);
    if (!spec) return { ok: false, kind: "unknown_function", message: `No function with id ${functionId} is deployed` };
    const message = `${spec.handler}: runtime ${spec.runtime} is not run locally`;
    this.logger.warn(`${spec.functionName}: ${message} (GH_ERR_RUNTIME_NOT_LOCAL)`);
    const body = JSON.stringify({ message, code: "GH_ERR_RUNTIME_NOT_LOCAL", runtime: spec.runtime, handler: spec.handler });
    return { ok: true, payload: JSON.stringify({ statusCode: NOT_LOCAL_STATUS, headers: { "content-type": "application/json" }, body }) };
  }

  async close(): Promise<void> {
    this.specs.clear();
  }
}
