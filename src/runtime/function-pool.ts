import { type Dispatched, type EnvironmentEvents, ExecutionEnvironment, WITHDRAWN } from "./execution-environment.js";
import type { FunctionLog } from "./function-log.js";
import type { FunctionSpec, InvocationSignal, InvokeOutcome } from "./types.js";

/** An invocation waiting for a free environment. */
export interface QueuedInvocation {
  requestId: string;
  /** The event as JSON text. */
  event: string;
  resolve: (outcome: InvokeOutcome) => void;
  /** Aborted when the caller stops waiting: the invocation is withdrawn unless it has started. */
  signal?: InvocationSignal;
}

const THROTTLED: InvokeOutcome = { ok: false, kind: "throttled", message: "Rate Exceeded." };

/** Faults in a row (timeouts, crashes) after which a dead worker is no longer replaced before it is needed. */
export const PENALTY_FAULTS = 2;
/** Failed invocations in a row (handler errors included) after which a function's workers run at low priority. */
const FAILURES_TO_DEPRIORITIZE = 3;
/** First delay before a crashed function's worker is replaced, doubling with every further fault, and its cap. */
export const DEFAULT_RESTART_BACKOFF = { initialMs: 50, maxMs: 5_000 };

/** Worker counts of one pool. */
export interface PoolStats {
  workers: number;
  busy: number;
  idle: number;
  starting: number;
  queued: number;
  /** Workers running at low CPU priority (see countFault and deprioritizeSlow). */
  lowPriority: number;
}

/** Options of one pool. */
export interface FunctionPoolOptions {
  spec: FunctionSpec;
  maxWorkers: number;
  /** Invocations that may wait for a worker; more are throttled at once. */
  maxQueued: number;
  /** Delay before replacing the worker of a function that keeps failing (see countFault). */
  restartBackoff: { initialMs: number; maxMs: number };
  idleTtlMs: number;
  /** Where its handlers' output goes (one per pool: rate limits are per function version). */
  log: FunctionLog;
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
  /** Timeouts and crashes in a row; any answered invocation resets it (see PENALTY_FAULTS). */
  private faults = 0;
  /** Failed invocations in a row, handler errors included; a successful one resets it (see countFailure). */
  private failures = 0;
  /** While faults > 0: no worker starts before this (performance.now()). */
  private nextSpawnAt = 0;
  private backoffTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: FunctionPoolOptions) {
    this.spec = options.spec;
  }

  /**
   * Runs `event` (JSON text) on an environment that can take it now, or queues it; a full queue throttles it
   * at once. A queued invocation whose `signal` aborts is withdrawn: it never runs.
   */
  invoke(requestId: string, event: string, signal?: InvocationSignal): Promise<InvokeOutcome> {
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve(WITHDRAWN);
        return;
      }
      // Anything already queued goes first (FIFO); an environment that could take it would have.
      const env = this.queue.length === 0 ? (this.pipelineTarget() ?? this.idle.pop()) : undefined;
      if (env !== undefined) {
        env.run(requestId, event, resolve, signal);
      } else if (this.queue.length >= this.options.maxQueued) {
        resolve(THROTTLED);
      } else {
        const invocation: QueuedInvocation = { requestId, event, resolve, signal };
        this.queue.push(invocation);
        this.watch(invocation);
        this.grow();
      }
    });
  }

  /** Withdraws a queued invocation once its caller gives up; harmless once it has left the queue. */
  private watch(invocation: QueuedInvocation): void {
    const signal = invocation.signal;
    if (signal === undefined) return;
    signal.onabort = () => {
      const index = this.queue.indexOf(invocation);
      if (index === -1) return;
      this.queue.splice(index, 1);
      invocation.resolve(WITHDRAWN);
    };
  }

  /** The oldest queued invocation whose caller still waits; those given up on are answered as withdrawn. */
  private nextQueued(): QueuedInvocation | undefined {
    let next = this.queue.shift();
    while (next?.signal?.aborted) {
      next.resolve(WITHDRAWN);
      next = this.queue.shift();
    }
    if (next?.signal !== undefined) next.signal.onabort = null;
    return next;
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
      const next = this.nextQueued();
      if (next === undefined) {
        this.release(env);
        break;
      }
      env.run(next.requestId, next.event, next.resolve, next.signal);
    }
    this.grow();
  }

  /** Takes over invocations queued on a previous version's pool; they were waiting first, so they go first. */
  adopt(queued: QueuedInvocation[]): void {
    if (queued.length === 0) return;
    this.queue.unshift(...queued);
    for (const invocation of queued) this.watch(invocation);
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
    this.clearBackoff();
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
    this.clearBackoff();
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

  /**
   * Lowers the CPU priority of workers whose invocation has run `slowMs` or longer while keeping a core
   * busy (see ExecutionEnvironment.checkSlow and countFault).
   */
  deprioritizeSlow(now: number, slowMs: number): void {
    for (const env of this.environments) if (env.state === "busy" && now - env.startedAt >= slowMs) env.checkSlow(now);
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
      lowPriority: [...this.environments].filter((env) => env.lowPriority).length,
    };
  }

  ready(env: ExecutionEnvironment): void {
    this.starting--;
    this.notifyReady();
    this.release(env);
  }

  done(env: ExecutionEnvironment): void {
    this.faults = 0;
    if (!env.lastOk) this.countFailure();
    else if (this.failures > 0) {
      // Recovered: the function gets its full concurrency back for what is waiting.
      this.failures = 0;
      this.grow();
    }
    const last = env.lastDurationMs;
    this.averageMs = Number.isFinite(this.averageMs) ? this.averageMs * 0.9 + last * 0.1 : last;
    this.release(env);
  }

  withdrew(env: ExecutionEnvironment): void {
    this.release(env);
  }

  initFailed(env: ExecutionEnvironment, message: string): void {
    this.starting--;
    this.environments.delete(env);
    this.notifyReady();
    // Like Lambda, the invocation that waited for this init gets its error; the next one retries the import.
    const waiter = this.nextQueued();
    this.options.log.line("stderr", waiter?.requestId ?? "-", "ERROR", `Init Error ${message}`);
    waiter?.resolve({ ok: false, kind: "handler_error", message });
    this.countFault();
    if (!this.draining) this.grow();
    this.checkEmpty();
  }

  died(env: ExecutionEnvironment): void {
    this.forget(env);
    this.countFault();
    const unstarted = env.takeUnstarted();
    if (this.draining) {
      if (unstarted.length > 0) this.options.handOn(unstarted);
    } else if (unstarted.length > 0 || this.queue.length > 0) {
      this.requeue(unstarted);
    } else if (env.invocations > 0 && this.faults < PENALTY_FAULTS && this.environments.size < this.maxWorkers()) {
      // Replace a worker that served traffic so the next request finds a warm one; a worker that died
      // before any invocation is not replaced eagerly, which would loop on a module that kills its worker.
      this.spawnWhenAllowed();
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
    for (const invocation of invocations) this.watch(invocation);
    this.dispatchQueued();
  }

  /**
   * A timeout or crash: the function's workers get a lower CPU priority from now on, it is held to one
   * worker (see maxWorkers), and a dead worker is replaced only after a doubling delay, until an invocation
   * answers again. So a looping or crashing function cannot take the cores its neighbours need.
   */
  private countFault(): void {
    this.faults++;
    this.failures++;
    const { initialMs, maxMs } = this.options.restartBackoff;
    const backoff = Math.min(maxMs, initialMs * 2 ** Math.min(30, this.faults - 1));
    this.nextSpawnAt = performance.now() + backoff;
    for (const env of this.environments) env.deprioritize();
  }

  /**
   * A function whose invocations keep failing, even by answering with an error, loses its claim on the CPU:
   * its workers are deprioritized (not capped; its errors still reach its callers as fast as it makes them).
   */
  private countFailure(): void {
    this.failures++;
    if (this.failures === FAILURES_TO_DEPRIORITIZE) for (const env of this.environments) env.deprioritize();
  }

  /**
   * The most workers the pool may have now: one while its last invocation failed (timed out, crashed or
   * answered with an error), so a faulty function holds one thread, not its whole concurrency.
   */
  private maxWorkers(): number {
    return this.failures > 0 ? 1 : this.options.maxWorkers;
  }

  /** Spawns now, or once the restart backoff has passed; false when it must wait. */
  private spawnWhenAllowed(): boolean {
    if (this.faults > 0) {
      const wait = this.nextSpawnAt - performance.now();
      if (wait > 0) {
        // Referenced: an invocation may be waiting for this worker (close and drain clear it).
        this.backoffTimer ??= setTimeout(() => {
          this.backoffTimer = null;
          if (this.draining) return;
          if (this.queue.length > this.starting) this.grow();
          else if (this.environments.size === 0 && this.faults < PENALTY_FAULTS) this.spawn();
        }, wait);
        return false;
      }
    }
    // A worker that cannot even be created fails the head waiter; the caller's loop goes on with the next.
    this.spawn();
    return true;
  }

  private clearBackoff(): void {
    if (this.backoffTimer !== null) clearTimeout(this.backoffTimer);
    this.backoffTimer = null;
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
    const next = this.queue.length === 0 ? undefined : this.nextQueued();
    if (next !== undefined) env.run(next.requestId, next.event, next.resolve, next.signal);
    else if (env.backlog === 0) this.idle.push(env);
  }

  private grow(): void {
    const max = this.maxWorkers();
    while (this.queue.length > this.starting && this.environments.size < max) {
      if (!this.spawnWhenAllowed()) break;
    }
  }

  /** Starts an environment; false when the worker could not even be created (the head waiter is failed). */
  private spawn(): boolean {
    let env: ExecutionEnvironment;
    try {
      env = new ExecutionEnvironment({
        spec: this.spec,
        log: this.options.log,
        idleTtlMs: this.options.idleTtlMs,
        lowPriority: this.faults > 0 || this.failures >= FAILURES_TO_DEPRIORITIZE,
        events: this,
      });
    } catch (err) {
      const message = `Cannot start a worker for ${this.spec.bundlePath}: ${err instanceof Error ? err.message : String(err)}`;
      const waiter = this.nextQueued();
      this.options.log.line("stderr", waiter?.requestId ?? "-", "ERROR", message);
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
