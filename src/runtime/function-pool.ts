import type { Logger } from "../log.js";
import { type Dispatched, type EnvironmentEvents, ExecutionEnvironment } from "./execution-environment.js";
import type { FunctionLogLine, FunctionSpec, InvokeOutcome } from "./types.js";

/** An invocation waiting for a free environment. */
export interface QueuedInvocation {
  requestId: string;
  /** The event as JSON text. */
  event: string;
  resolve: (outcome: InvokeOutcome) => void;
}

/** Worker counts of one pool. */
export interface PoolStats {
  workers: number;
  busy: number;
  idle: number;
  starting: number;
  queued: number;
}

/** Options of one pool. */
export interface FunctionPoolOptions {
  spec: FunctionSpec;
  logger: Logger;
  maxWorkers: number;
  idleTtlMs: number;
  onLog?: (line: FunctionLogLine) => void;
  /** Called once a drained pool has no worker left. */
  onEmpty: (pool: FunctionPool) => void;
  /** Takes invocations a drained pool took back from a worker and can no longer run itself. */
  handOn: (invocations: QueuedInvocation[]) => void;
}

/**
 * How many invocations may wait inside one busy worker once the pool is at its maximum, so the worker finds
 * its next invocation ready instead of sleeping and being woken for it. Each still starts only when the one
 * before it has answered, with its own full timeout, and is taken back if it waits more than HOLD_LIMIT_MS.
 * Measured on 2 cores at 50 connections, as a ratio to bare node:http: 3 → 0.45, 32 → 0.54, 64 no better.
 * Must stay below half of CLAIM_SLOTS (waiting plus taken back).
 */
export const QUEUED_PER_WORKER = 32;

/**
 * Only quick functions get invocations queued inside a worker, and only behind an invocation that has just
 * started: a slow one would hold the ones behind it while another worker may come free first.
 */
const QUICK_MS = 1;

/**
 * The execution environments of one version of one function. An invocation takes an idle environment
 * (the most recently used, so the others can be reaped), else waits FIFO; a waiting invocation starts a new
 * environment while the pool is below its maximum. At the maximum, a quick function's invocations go to the
 * busy environment that just started one and already holds the most: one thread woken for many invocations.
 */
export class FunctionPool implements EnvironmentEvents {
  readonly spec: FunctionSpec;
  private readonly environments = new Set<ExecutionEnvironment>();
  private readonly idle: ExecutionEnvironment[] = [];
  private queue: QueuedInvocation[] = [];
  private starting = 0;
  /** Moving average of how long invocations run, in ms; unknown until the first one answers. */
  private averageMs = Number.POSITIVE_INFINITY;
  private draining = false;
  private readyWaiters: Array<() => void> = [];
  private readonly tag: string;

  constructor(private readonly options: FunctionPoolOptions) {
    this.spec = options.spec;
    this.tag = `[${options.spec.handler}]`;
  }

  /** Runs `event` (JSON text) on an environment that can take it now, or queues it. */
  invoke(requestId: string, event: string): Promise<InvokeOutcome> {
    return new Promise((resolve) => {
      // Anything already queued goes first (FIFO); an environment that could take it would have.
      const env = this.queue.length === 0 ? (this.pipelineTarget() ?? this.idle.pop()) : undefined;
      if (env !== undefined) {
        env.run(requestId, event, resolve);
      } else {
        this.queue.push({ requestId, event, resolve });
        this.grow();
      }
    });
  }

  /**
   * At the maximum, for a quick function: the busy environment with room behind an invocation it has just
   * started, the fullest first. Waking a sleeping worker costs more than the invocation, so one awake worker
   * takes them all until it is full; the timers and take-back keep each one's wait as short as Lambda's.
   */
  private pipelineTarget(): ExecutionEnvironment | undefined {
    if (this.averageMs >= QUICK_MS) return undefined;
    if (this.starting > 0 || this.environments.size < this.options.maxWorkers) return undefined;
    const now = performance.now();
    let best: ExecutionEnvironment | undefined;
    for (const env of this.environments) {
      if (env.state !== "busy" || env.backlog > QUEUED_PER_WORKER || now - env.startedAt >= QUICK_MS) continue;
      if (best === undefined || env.backlog > best.backlog) best = env;
    }
    return best;
  }

  /** Hands queued invocations, oldest first, to environments that can take them; starts more if allowed. */
  private dispatchQueued(): void {
    while (this.queue.length > 0) {
      const env = this.idle.pop() ?? this.pipelineTarget();
      if (env === undefined) break;
      const next = this.queue.shift()!;
      env.run(next.requestId, next.event, next.resolve);
    }
    this.grow();
  }

  /** Takes over invocations queued on a previous version's pool; they were waiting first, so they go first. */
  adopt(queued: QueuedInvocation[]): void {
    if (queued.length === 0) return;
    this.queue.unshift(...queued);
    this.dispatchQueued();
  }

  /** Resolves once an environment is imported (or failed to import); starts one if none is on its way. */
  async prewarm(): Promise<void> {
    if (this.draining) return;
    for (const env of this.environments) if (env.state === "idle" || env.state === "busy") return;
    if (this.starting === 0) {
      if (this.environments.size >= this.options.maxWorkers || !this.spawn()) return;
    }
    await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Stops taking work: idle and starting environments are terminated now, busy ones after their invocation.
   * Returns the invocations still queued, for the caller to hand on or fail.
   */
  drain(): QueuedInvocation[] {
    this.draining = true;
    const queued = this.queue;
    this.queue = [];
    for (const env of [...this.environments]) {
      if (env.state === "busy") continue;
      if (env.state === "starting") this.starting--;
      this.forget(env);
      void env.kill();
    }
    this.notifyReady();
    this.checkEmpty();
    return queued;
  }

  /** Terminates every environment; in-flight and queued invocations get `outcome`. */
  async close(outcome: InvokeOutcome): Promise<void> {
    this.draining = true;
    const queued = this.queue;
    this.queue = [];
    for (const waiter of queued) waiter.resolve(outcome);
    const environments = [...this.environments];
    this.environments.clear();
    this.idle.length = 0;
    this.starting = 0;
    this.notifyReady();
    await Promise.all(environments.map((env) => env.kill(outcome)));
  }

  /** Worker counts, for tests and benchmarks. */
  stats(): PoolStats {
    const workers = this.environments.size;
    return {
      workers,
      busy: workers - this.idle.length - this.starting,
      idle: this.idle.length,
      starting: this.starting,
      queued: this.queue.length,
    };
  }

  ready(env: ExecutionEnvironment): void {
    this.starting--;
    this.notifyReady();
    this.release(env);
  }

  done(env: ExecutionEnvironment): void {
    const last = env.lastDurationMs;
    this.averageMs = Number.isFinite(this.averageMs) ? this.averageMs * 0.9 + last * 0.1 : last;
    this.release(env);
  }

  initFailed(env: ExecutionEnvironment, message: string): void {
    this.starting--;
    this.environments.delete(env);
    this.notifyReady();
    // Like Lambda, the invocation that waited for this init gets its error; the next one retries the import.
    const waiter = this.queue.shift();
    this.options.logger.error(`${this.tag} ${waiter?.requestId ?? "-"} ERROR Init Error ${message}`);
    waiter?.resolve({ ok: false, kind: "handler_error", message });
    if (!this.draining) this.grow();
    this.checkEmpty();
  }

  died(env: ExecutionEnvironment): void {
    this.forget(env);
    const unstarted = env.takeUnstarted();
    if (this.draining) {
      if (unstarted.length > 0) this.options.handOn(unstarted);
    } else if (unstarted.length > 0 || this.queue.length > 0) {
      this.requeue(unstarted);
    } else if (env.invocations > 0 && this.environments.size < this.options.maxWorkers) {
      // Replace a worker that served traffic so the next request finds a warm one; a worker that died
      // before any invocation is not replaced eagerly, which would loop on a module that kills its worker.
      this.spawn();
    }
    this.checkEmpty();
  }

  tookBack(_env: ExecutionEnvironment, invocations: Dispatched[]): void {
    if (this.draining) this.options.handOn(invocations);
    else this.requeue(invocations);
  }

  /** Invocations handed to a worker that did not start them: dispatched before anything queued, they go first. */
  private requeue(invocations: Dispatched[]): void {
    this.queue.unshift(...invocations);
    this.dispatchQueued();
  }

  idleExpired(env: ExecutionEnvironment): void {
    this.forget(env);
    void env.kill();
    this.checkEmpty();
  }

  private release(env: ExecutionEnvironment): void {
    if (this.draining) {
      // It still runs what it was handed before the drain; it goes once that is answered.
      if (env.backlog > 0) return;
      this.forget(env);
      void env.kill();
      this.checkEmpty();
      return;
    }
    if (env.backlog > QUEUED_PER_WORKER || (env.backlog > 0 && this.averageMs >= QUICK_MS)) return;
    const next = this.queue.shift();
    if (next !== undefined) env.run(next.requestId, next.event, next.resolve);
    else if (env.backlog === 0) this.idle.push(env);
  }

  private grow(): void {
    while (this.queue.length > this.starting && this.environments.size < this.options.maxWorkers) this.spawn();
  }

  /** Starts an environment; false when the worker could not even be created (the head waiter is failed). */
  private spawn(): boolean {
    let env: ExecutionEnvironment;
    try {
      env = new ExecutionEnvironment({
        spec: this.spec,
        logger: this.options.logger,
        idleTtlMs: this.options.idleTtlMs,
        onLog: this.options.onLog,
        events: this,
      });
    } catch (err) {
      const message = `Cannot start a worker for ${this.spec.bundlePath}: ${err instanceof Error ? err.message : String(err)}`;
      const waiter = this.queue.shift();
      this.options.logger.error(`${this.tag} ${waiter?.requestId ?? "-"} ERROR ${message}`);
      waiter?.resolve({ ok: false, kind: "crashed", message });
      return false;
    }
    this.environments.add(env);
    this.starting++;
    return true;
  }

  private forget(env: ExecutionEnvironment): void {
    this.environments.delete(env);
    const index = this.idle.indexOf(env);
    if (index !== -1) this.idle.splice(index, 1);
  }

  private notifyReady(): void {
    const waiters = this.readyWaiters;
    if (waiters.length === 0) return;
    this.readyWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private checkEmpty(): void {
    if (this.draining && this.environments.size === 0) this.options.onEmpty(this);
  }
}
