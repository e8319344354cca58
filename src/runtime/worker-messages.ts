/**
 * The protocol between the runtime and lambda-worker.js. The runtime posts WorkerInvocations; the worker runs
 * each only if it wins its ticket in `claims` (see ClaimSlots), else skips it unanswered. The worker answers
 * with the result's JSON text as a bare string, or an object for everything else, several in one array when
 * log lines come with the answer. Invocations dispatched in the same turn of the event loop go in one message,
 * since waking a sleeping thread costs more than the message itself.
 * Measured on a 1.3 kB API Gateway event, stringify + posting a string costs the main thread about what
 * structured-cloning the object does (~10 µs, dominated by waking the worker); the string wins because the
 * event then reaches the handler exactly as Lambda delivers it: parsed from JSON.
 */

/**
 * Invocations for a worker, flat: `[ticket, requestId, event JSON, ticket, requestId, event JSON, …]`. The JSON
 * text is posted as it came from JSON.stringify: a flat string the message serializer copies once.
 */
export type WorkerInvocations = Array<number | string>;

/** What a worker is started with (its `workerData`). */
export interface WorkerData {
  bundlePath: string;
  exportName: string;
  handler: string;
  functionName: string;
  memoryMb: number;
  timeoutMs: number;
  invokedFunctionArn: string;
  logGroupName: string;
  logStreamName: string;
  /** ClaimSlots memory, shared with the main thread. */
  claims: Int32Array;
  /** Longest console call or stdout/stderr write passed to the main thread; the rest is cut off. */
  maxLogMessageChars?: number;
  /** Start at a low CPU priority (nice 19) before importing the bundle: the function keeps failing. */
  lowPriority?: boolean;
}

/** The module is imported and the handler found: the worker takes invocations. */
export interface ReadyMessage {
  t: "ready";
  /** The worker's OS thread id (Linux), so the runtime can lower its CPU priority; absent elsewhere. */
  tid?: number;
}

/** Importing the module or finding the export failed; the worker takes no invocation. */
export interface InitErrorMessage {
  t: "init_error";
  message: string;
}

/** The handler threw, rejected, called back with an error, or returned something JSON cannot hold. */
export interface HandlerErrorMessage {
  t: "error";
  errorType: string;
  errorMessage: string;
  stack: string[];
}

/** One console call of the handler. */
export interface LogMessage {
  t: "log";
  level: "INFO" | "WARN" | "ERROR" | "DEBUG" | "TRACE";
  requestId: string;
  text: string;
}

/** One thing a worker reports: a bare string is a successful result's JSON text. */
export type WorkerReport = string | ReadyMessage | InitErrorMessage | HandlerErrorMessage | LogMessage;

/** Anything a worker posts: one report, or several in order. */
export type WorkerMessage = WorkerReport | WorkerReport[];
