import type { LanguageRuntime } from "./language-runtime.js";
import type { InvokeOptions, InvokeOutcome, Invoker } from "./types.js";

/** Sends each invocation to the LanguageRuntime its function was deployed to. */
export class RuntimeDispatcher implements Invoker {
  private readonly owners = new Map<string, LanguageRuntime>();

  /** Records that `functionId` now runs on `runtime`, removing it from the one it ran on before. */
  assign(functionId: string, runtime: LanguageRuntime): void {
    const previous = this.owners.get(functionId);
    if (previous && previous !== runtime) previous.remove(functionId);
    this.owners.set(functionId, runtime);
  }

  remove(functionId: string): void {
    this.owners.get(functionId)?.remove(functionId);
    this.owners.delete(functionId);
  }

  invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome> {
    const runtime = this.owners.get(functionId);
    if (!runtime) return Promise.resolve({ ok: false, kind: "unknown_function", message: `No function with id ${functionId} is deployed` });
    return runtime.invoke(functionId, event, options);
  }
}
