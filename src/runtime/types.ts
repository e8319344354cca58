/** Everything the runtime needs to run one version of one function. */
export interface FunctionSpec {
  /** Stable id from the manifest. */
  id: string;
  /** Lambda's function name (AWS_LAMBDA_FUNCTION_NAME, context.functionName). */
  functionName: string;
  /** The handler as written (`src/private.main`), for `_HANDLER` and log tags. */
  handler: string;
  /** Absolute path of the built ESM bundle (.mjs). */
  bundlePath: string;
  exportName: string;
  /** The function's `environment` (Lambda's standard variables are added by the runtime). */
  environment: Record<string, string>;
  region: string;
  timeoutMs: number;
  memoryMb: number;
  /** Identifies the build; a new version replaces the old one's workers. */
  version: string;
}

/** How an invocation ended. `payload` is the handler's result as JSON text, as Lambda hands it on. */
export type InvokeOutcome =
  | { ok: true; payload: string }
  | {
      ok: false;
      kind: "handler_error" | "timeout" | "crashed" | "out_of_memory" | "exited" | "unknown_function" | "request_too_large";
      message: string;
    };

export interface InvokeOptions {
  /** Becomes context.awsRequestId; generated when absent. */
  requestId?: string;
}

/** Invokes functions by id; the gateway depends on this and nothing more of the runtime. */
export interface Invoker {
  invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome>;
}

/** One line a handler logged during an invocation (console.log and friends, or the runtime's own report). */
export interface FunctionLogLine {
  functionId: string;
  requestId: string;
  level: "INFO" | "WARN" | "ERROR" | "DEBUG" | "TRACE";
  text: string;
}
