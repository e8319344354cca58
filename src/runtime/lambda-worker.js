// @ts-check (tsconfig: allowJs; this file opts in to type-checking)
// One Lambda execution environment inside a worker thread: imports the bundle once, then runs the
// invocations it is sent, one at a time. Plain JavaScript on purpose: workers start without the TypeScript loader, which
// made each worker start four times slower and use twice the memory. The messages are described in
// worker-messages.ts.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";
import { configureSdkV2WhenLoaded } from "./sdk-v2-endpoints.js";

/** @type {import("./worker-messages.js").WorkerData} */
const config = workerData;
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);

// Lambda reports payloads over 6 MB as a function error instead of returning them.
const MAX_RESPONSE_BYTES = 6291556;

let currentRequestId = "";

// A function that keeps failing gets workers that yield the CPU to everyone else, from their first
// instruction on (docs/runtime.md, "Fair sharing"). On Linux, pid 0 means this thread only.
if (config.lowPriority) {
  try {
    setPriority(0, 19);
  } catch {
    // Best effort: fairness, not correctness.
  }
}

// The main thread may send the next invocation before this one answers (so this thread finds it waiting
// instead of sleeping); invocations still run strictly one at a time, in order.
/** @type {Array<{ ticket: number, requestId: string, event: string }>} */
const waiting = [];
let running = false;

// Log lines given while more invocations wait go out with the answer; an answer goes out before the next
// invocation starts, or at the end of this turn of the event loop.
/** @type {import("./worker-messages.js").WorkerReport[]} */
let outbox = [];
let flushScheduled = false;

// Lambda tags every console line with the request id and a level; logs written between invocations keep
// the id of the last one, as on Lambda.
for (const [method, level] of /** @type {Array<["log" | "info" | "warn" | "error" | "debug" | "trace", import("./worker-messages.js").LogMessage["level"]]>} */ ([
  ["log", "INFO"],
  ["info", "INFO"],
  ["warn", "WARN"],
  ["error", "ERROR"],
  ["debug", "DEBUG"],
  ["trace", "TRACE"],
])) {
  console[method] = (...args) => {
    send({ t: "log", level, requestId: currentRequestId, text: capped(format(...args)) });
  };
}

// One console call or stdout write longer than half a second's log allowance would mostly be dropped by the runtime
// anyway; cutting it here spares copying it to the main thread (docs/runtime.md, "Log lines").
const MAX_MESSAGE_CHARS = config.maxLogMessageChars ?? Number.POSITIVE_INFINITY;

/** @param {string} text */
function capped(text) {
  if (text.length <= MAX_MESSAGE_CHARS) return text;
  return `${text.slice(0, MAX_MESSAGE_CHARS)} [cut: ${text.length - MAX_MESSAGE_CHARS} more characters dropped]`;
}

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  // The rest are write's own optional encoding and callback, handed on untouched.
  stream.write = /** @type {typeof stream.write} */ (
    /** @type {(chunk: any, ...rest: any[]) => boolean} */ (
      (chunk, ...rest) => {
        if (chunk != null && chunk.length > MAX_MESSAGE_CHARS) {
          const length = chunk.length;
          write(chunk.slice(0, MAX_MESSAGE_CHARS));
          return write(` [cut: ${length - MAX_MESSAGE_CHARS} more characters dropped]\n`, ...rest);
        }
        return write(chunk, ...rest);
      }
    )
  );
}

/**
 * The error fields Lambda reports for a failed invocation.
 * @param {unknown} err
 */
function describeError(err) {
  if (err instanceof Error) {
    return {
      errorType: err.name || "Error",
      errorMessage: err.message,
      stack: typeof err.stack === "string" ? err.stack.split("\n") : [],
    };
  }
  if (err !== null && typeof err === "object") {
    const message = "message" in err ? String(err.message) : JSON.stringify(err);
    return { errorType: "name" in err ? String(err.name) : "object", errorMessage: message, stack: [] };
  }
  return { errorType: typeof err, errorMessage: String(err), stack: [] };
}

/**
 * Finds the handler on the namespace, or under `default` where a CommonJS bundle puts its exports.
 * @param {Record<string, any>} namespace
 * @param {string} exportName
 * @returns {Function | undefined}
 */
function findHandler(namespace, exportName) {
  const direct = namespace[exportName];
  if (typeof direct === "function") return direct;
  const fallback = namespace.default;
  if (fallback !== null && (typeof fallback === "object" || typeof fallback === "function")) {
    const nested = fallback[exportName];
    if (typeof nested === "function") return nested;
  }
  return undefined;
}

// Before the handler's module runs: its top level may create SDK v2 clients.
configureSdkV2WhenLoaded(process.env);

/** @type {Function | undefined} */
let handler;
try {
  const namespace = await import(pathToFileURL(config.bundlePath).href);
  handler = findHandler(namespace, config.exportName);
  if (handler === undefined) {
    port.postMessage({
      t: "init_error",
      message: `Runtime.HandlerNotFound: ${config.bundlePath} does not export a function named "${config.exportName}" (handler ${config.handler})`,
    });
  }
} catch (err) {
  const { errorType, errorMessage } = describeError(err);
  port.postMessage({
    t: "init_error",
    message: `Runtime.ImportModuleError: cannot import ${config.bundlePath}: ${errorType}: ${errorMessage}`,
  });
}

/** @param {import("./worker-messages.js").WorkerReport} report */
function send(report) {
  outbox.push(report);
  if (waiting.length === 0) flush();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

function flush() {
  flushScheduled = false;
  if (outbox.length === 0) return;
  const reports = outbox;
  outbox = [];
  port.postMessage(reports.length === 1 ? reports[0] : reports);
}

if (handler !== undefined) {
  port.on("message", (/** @type {import("./worker-messages.js").WorkerInvocations} */ invocations) => {
    // A malformed message would leave the main thread waiting on an answer that never comes: crash instead,
    // and the runtime reports it and replaces this worker.
    if (!Array.isArray(invocations) || invocations.length % 3 !== 0) {
      throw new TypeError("Gatehouse runtime: a worker message must be [ticket, requestId, event JSON, …]");
    }
    for (let i = 0; i < invocations.length; i += 3) {
      const ticket = /** @type {number} */ (invocations[i]);
      waiting.push({ ticket, requestId: /** @type {string} */ (invocations[i + 1]), event: /** @type {string} */ (invocations[i + 2]) });
    }
    if (!running) runNext();
  });
  port.postMessage({ t: "ready", tid: threadId() });
}

/** This thread's id as the OS knows it (Linux: /proc/thread-self is `<pid>/task/<tid>`), else undefined. */
function threadId() {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

function runNext() {
  if (running) return;
  let next = waiting.shift();
  // An invocation the main thread took back (to run it on another worker) is skipped without an answer.
  while (next !== undefined && !claim(next.ticket)) next = waiting.shift();
  // Answers given so far leave before the next invocation starts: its synchronous part could take long.
  if (outbox.length > 0) flush();
  if (next === undefined) return;
  running = true;
  invoke(next.requestId, next.event);
}

/**
 * Wins the ticket (see claim-slots.ts), or learns that the main thread took the invocation back.
 * @param {number} ticket
 */
function claim(ticket) {
  return Atomics.compareExchange(config.claims, ticket % config.claims.length, ticket, -ticket) === ticket;
}

/** Marks the running invocation answered and starts the next one, if any is waiting. */
function settle() {
  running = false;
  if (waiting.length > 0) queueMicrotask(runNext);
}

/**
 * Runs one invocation of `eventJson`, the event as JSON text.
 * @param {string} requestId
 * @param {string} eventJson
 */
function invoke(requestId, eventJson) {
  const run = /** @type {Function} */ (handler);
  const event = JSON.parse(eventJson);
  const deadline = Date.now() + config.timeoutMs;
  currentRequestId = requestId;
  let settled = false;

  /** @param {unknown} err */
  const fail = (err) => {
    if (settled) return;
    settled = true;
    send({ t: "error", ...describeError(err) });
    settle();
  };
  /** @param {unknown} result */
  const succeed = (result) => {
    if (settled) return;
    settled = true;
    answer(result);
    settle();
  };
  /** @param {unknown} result */
  const answer = (result) => {
    let json;
    try {
      json = JSON.stringify(result);
    } catch (err) {
      send({
        t: "error",
        errorType: "Runtime.MarshalError",
        errorMessage: `Unable to serialize the handler's result as JSON: ${describeError(err).errorMessage}`,
        stack: [],
      });
      return;
    }
    if (json === undefined) json = "null";
    if (json.length > MAX_RESPONSE_BYTES / 3 && Buffer.byteLength(json) > MAX_RESPONSE_BYTES) {
      send({
        t: "error",
        errorType: "Function.ResponseSizeTooLarge",
        errorMessage: `Response payload size (${Buffer.byteLength(json)} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        stack: [],
      });
      return;
    }
    send(json);
  };
  /** @type {(err?: unknown, result?: unknown) => void} */
  const callback = (err, result) => (err !== undefined && err !== null ? fail(err) : succeed(result));

  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: config.invokedFunctionArn,
    memoryLimitInMB: String(config.memoryMb),
    awsRequestId: requestId,
    logGroupName: config.logGroupName,
    logStreamName: config.logStreamName,
    identity: undefined,
    clientContext: undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: callback,
    succeed: (/** @type {unknown} */ result) => succeed(result),
    fail: (/** @type {unknown} */ err) => fail(err ?? new Error("handled")),
  };

  try {
    const returned = run(event, context, callback);
    if (returned !== null && typeof returned === "object" && typeof returned.then === "function") {
      returned.then(succeed, (/** @type {unknown} */ err) => fail(err ?? new Error("Promise rejected without a reason")));
    } else if (run.length < 3) {
      // A plain function that returns a value answers with it; one that takes a callback answers through it.
      succeed(returned);
    }
  } catch (err) {
    fail(err);
  }
}
