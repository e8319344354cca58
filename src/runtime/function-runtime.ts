import { randomUUID } from "node:crypto";
import type { Logger } from "../log.js";
import { DEFAULT_LOG_LIMITS, FunctionLog, type FunctionLogLine, type LogLimits } from "./function-log.js";
import { DEFAULT_RESTART_BACKOFF, FunctionPool, type QueuedInvocation } from "./function-pool.js";
import type { FunctionSpec, InvokeOptions, InvokeOutcome, Invoker } from "./types.js";

/** Lambda's synchronous request payload limit (the event as JSON), as its error message states it. */
export const MAX_REQUEST_BYTES = 6291456;

/** Options of a FunctionRuntime. */
export interface FunctionRuntimeOptions {
  logger: Logger;
  /** Concurrent invocations (one per worker) per function; further ones queue FIFO. Default 4. */
  maxWorkersPerFunction?: number;
  /** An idle worker is terminated after this long. Default 5 minutes. */
  idleWorkerTtlMs?: number;
  /** Invocations of one function that may wait for a worker; more are throttled at once. Default 256. */
  maxQueuedPerFunction?: number;
  /** Longest log line before it is cut, and the most a function may log per second (characters). */
  logLimits?: Partial<LogLimits>;
  /** Every log line of every function, with its request id, as it is logged (a console hooks in here). */
  onLog?: (line: FunctionLogLine) => void;
  /** An invocation running this long gets a lower CPU priority, so a busy loop cannot starve the others. Default 500 ms. */
  slowInvocationMs?: number;
  /** Delay before the worker of a function that keeps timing out or crashing is replaced: 50 ms doubling to 5 s. */
  restartBackoff?: { initialMs: number; maxMs: number };
}

/** Worker counts of one function, for tests and benchmarks. */
export interface FunctionStats {
  /** The version new invocations go to. */
  version: string;
  /** Workers of the current version: busy + idle + starting. */
  workers: number;
  busy: number;
  idle: number;
  starting: number;
  /** Invocations waiting for a worker. */
  queued: number;
  /** Workers running at low CPU priority: a busy loop, or a function that keeps failing (docs/runtime.md). */
  lowPriority: number;
  /** Workers of replaced versions still finishing an invocation. */
  draining: number;
}

const DEFAULT_MAX_WORKERS = 4;
const DEFAULT_MAX_QUEUED = 256;
const DEFAULT_IDLE_TTL_MS = 5 * 60_000;
const DEFAULT_SLOW_INVOCATION_MS = 500;

/**
 * Runs bundled Lambda handlers in worker threads, one invocation per worker at a time, with a pool per
 * function. Every failure of a handler or its worker comes back as an InvokeOutcome; nothing throws.
 */
export class FunctionRuntime implements Invoker {
  private readonly pools = new Map<string, FunctionPool>();
  // Pools of replaced or removed versions whose in-flight invocations are finishing.
  private readonly retiring = new Set<FunctionPool>();
  private readonly logger: Logger;
  private readonly maxWorkers: number;
  private readonly maxQueued: number;
  private readonly idleTtlMs: number;
  private readonly logLimits: LogLimits;
  private readonly slowMs: number;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: FunctionRuntimeOptions) {
    this.logger = options.logger;
    this.maxWorkers = options.maxWorkersPerFunction ?? DEFAULT_MAX_WORKERS;
    this.maxQueued = options.maxQueuedPerFunction ?? DEFAULT_MAX_QUEUED;
    this.idleTtlMs = options.idleWorkerTtlMs ?? DEFAULT_IDLE_TTL_MS;
    this.logLimits = { ...DEFAULT_LOG_LIMITS, ...options.logLimits };
    this.slowMs = options.slowInvocationMs ?? DEFAULT_SLOW_INVOCATION_MS;
    if (!Number.isInteger(this.maxWorkers) || this.maxWorkers < 1) {
      throw new TypeError(`maxWorkersPerFunction must be a positive integer, got ${this.maxWorkers}`);
    }
    if (!Number.isInteger(this.maxQueued) || this.maxQueued < 0) {
      throw new TypeError(`maxQueuedPerFunction must be a non-negative integer, got ${this.maxQueued}`);
    }
  }

  /**
   * Registers a function or replaces its version: new invocations go to the new version, in-flight ones finish
   * on the old workers, which are then terminated. The same version again changes nothing.
   */
  deploy(spec: FunctionSpec): void {
    const current = this.pools.get(spec.id);
    if (current !== undefined && current.spec.version === spec.version) return;
    const log = new FunctionLog({
      functionId: spec.id,
      handler: spec.handler,
      logger: this.logger,
      limits: this.logLimits,
      appRoot: spec.appRoot,
      onLog: this.options.onLog,
    });
    const pool = new FunctionPool({
      spec,
      maxWorkers: this.maxWorkers,
      maxQueued: this.maxQueued,
      restartBackoff: this.options.restartBackoff ?? DEFAULT_RESTART_BACKOFF,
      idleTtlMs: this.idleTtlMs,
      log,
      onEmpty: (empty) => this.retiring.delete(empty),
      handOn: (invocations) => this.handOn(spec.id, invocations),
    });
    this.pools.set(spec.id, pool);
    if (current !== undefined) pool.adopt(this.retire(current));
    this.startSweep();
  }

  /** Every quarter of the slow threshold, workers running long are deprioritized (see FunctionPool). */
  private startSweep(): void {
    if (this.sweepTimer !== null) return;
    this.sweepTimer = setInterval(() => {
      const now = performance.now();
      for (const pool of this.pools.values()) pool.deprioritizeSlow(now, this.slowMs);
      for (const pool of this.retiring) pool.deprioritizeSlow(now, this.slowMs);
    }, Math.max(10, this.slowMs / 4));
    this.sweepTimer.unref();
  }

  /** Starts one worker of the current version and waits for its import; import errors are only logged. */
  async prewarm(functionId: string): Promise<void> {
    const pool = this.pools.get(functionId);
    if (pool === undefined) {
      this.logger.warn(`cannot prewarm ${functionId}: no such function is deployed`);
      return;
    }
    await pool.prewarm();
  }

  /** Unregisters a function: queued invocations fail as unknown, in-flight ones finish. */
  remove(functionId: string): void {
    const pool = this.pools.get(functionId);
    if (pool === undefined) return;
    this.pools.delete(functionId);
    for (const waiter of this.retire(pool)) waiter.resolve(unknownFunction(functionId));
  }

  /** Invokes a function with `event`, as Lambda's synchronous Invoke does (6 MB event limit); never rejects. */
  invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome> {
    const pool = this.pools.get(functionId);
    if (pool === undefined) return Promise.resolve(unknownFunction(functionId));
    let requestId = options?.requestId ?? randomUUID();
    // The id tags every log line of the invocation; a line break in it would split them.
    if (requestId.includes("\n")) requestId = requestId.replaceAll("\n", " ");
    let json: string | undefined = options?.eventJson;
    try {
      json ??= JSON.stringify(event);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return Promise.resolve({ ok: false, kind: "handler_error", message: `The event is not JSON: ${reason}` });
    }
    json ??= "null";
    if (json.length > MAX_REQUEST_BYTES / 3 && Buffer.byteLength(json) > MAX_REQUEST_BYTES) {
      return Promise.resolve({
        ok: false,
        kind: "request_too_large",
        message: `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`,
      });
    }
    return pool.invoke(requestId, json, options?.signal);
  }

  /** Worker counts per deployed function id. */
  stats(): Record<string, FunctionStats> {
    const result: Record<string, FunctionStats> = {};
    for (const [id, pool] of this.pools) {
      result[id] = { version: pool.spec.version, ...pool.stats(), draining: 0 };
    }
    for (const pool of this.retiring) {
      const entry = result[pool.spec.id];
      if (entry !== undefined) entry.draining += pool.stats().workers;
    }
    return result;
  }

  /** Terminates every worker (in-flight invocations fail) and forgets every function. */
  async close(): Promise<void> {
    const pools = [...this.pools.values(), ...this.retiring];
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.pools.clear();
    this.retiring.clear();
    const outcome: InvokeOutcome = { ok: false, kind: "crashed", message: "The function runtime was closed" };
    await Promise.all(pools.map((pool) => pool.close(outcome)));
  }

  /** Runs invocations a retired pool gave up on with the function's current version, if it still has one. */
  private handOn(functionId: string, invocations: QueuedInvocation[]): void {
    const pool = this.pools.get(functionId);
    if (pool === undefined) for (const waiter of invocations) waiter.resolve(unknownFunction(functionId));
    else pool.adopt(invocations);
  }

  private retire(pool: FunctionPool) {
    this.retiring.add(pool);
    return pool.drain();
  }
}

function unknownFunction(functionId: string): InvokeOutcome {
  return { ok: false, kind: "unknown_function", message: `No function with id ${functionId} is deployed` };
}
