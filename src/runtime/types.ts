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
  /** The app's root folder: logged paths under it (source-mapped stack frames) are shown relative to it. */
  appRoot?: string;
}

/** How an invocation ended. `payload` is the handler's result as JSON text, as Lambda hands it on. */
export type InvokeOutcome =
  | { ok: true; payload: string }
  | {
      ok: false;
      kind:
        | "handler_error"
        | "timeout"
        | "crashed"
        | "out_of_memory"
        | "exited"
        | "unknown_function"
        | "request_too_large"
        // The function's queue was full: refused at once, as Lambda throttles (docs/runtime.md).
        | "throttled"
        // The caller gave up (signal) before the invocation started; it never ran.
        | "withdrawn";
      message: string;
    };

/**
 * Tells the runtime that the caller no longer waits for an invocation (client gone, integration timeout).
 * An AbortSignal fits; the gateway uses a lighter one (docs/runtime.md, "Withdrawn invocations").
 */
export interface InvocationSignal {
  readonly aborted: boolean;
  /** Set by the runtime while the invocation waits; called once when the caller gives up. */
  onabort: ((this: never, event: never) => unknown) | null;
}

export interface InvokeOptions {
  /** Becomes context.awsRequestId; generated when absent. */
  requestId?: string;
  /** Once aborted, an invocation that has not started is withdrawn: it never runs. */
  signal?: InvocationSignal;
  /** `event` already serialized (the gateway keeps this text for its request record): used as it is. */
  eventJson?: string;
}

/** Invokes functions by id; the gateway depends on this and nothing more of the runtime. */
export interface Invoker {
  invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome>;
}

/** A handler's log line with its request id (defined with the log forwarding). */
export type { FunctionLogLine } from "./function-log.js";
