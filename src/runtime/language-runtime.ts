import type { FunctionSpec, Invoker } from "./types.js";

/**
 * One way of running functions: Node.js handlers in worker threads (FunctionRuntime), or a runtime that answers
 * without running anything (NotLocalRuntime). Another language is one more implementation; the natural seam for
 * Go, Python or a custom runtime is Lambda's Runtime API, which a local server can offer to a child process
 * (docs/sst-apps.md, "Other runtimes").
 */
export interface LanguageRuntime extends Invoker {
  /** Registers a function or replaces its version. */
  deploy(spec: FunctionSpec): void;
  /** Starts what the function needs before its first invocation, if anything. */
  prewarm(functionId: string): Promise<void>;
  remove(functionId: string): void;
  close(): Promise<void>;
}
