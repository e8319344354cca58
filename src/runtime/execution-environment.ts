import { readFileSync } from "node:fs";
import { setPriority } from "node:os";
import { Worker } from "node:worker_threads";
import { ClaimSlots } from "./claim-slots.js";
import type { FunctionLog } from "./function-log.js";
import { lambdaEnvironment, lambdaWorkerData, newLogStreamName } from "./lambda-environment.js";
import type { FunctionLogLine, FunctionSpec, InvocationSignal, InvokeOutcome } from "./types.js";
import type { WorkerInvocations, WorkerMessage, WorkerReport } from "./worker-messages.js";

// A plain .js file next to this one, in src/ and in dist/ alike (see lambda-worker.js for why).
const WORKER_ENTRY = new URL("./lambda-worker.js", import.meta.url);

// Lambda gives the init phase (module import) 10 seconds before it gives up on the environment.
const INIT_TIMEOUT_MS = 10_000;

/**
 * How long the running invocation may hold the ones handed to its worker behind it. Only invocations of quick
 * functions are handed on ahead (see FunctionPool), so one running this long is an outlier; those behind it
 * that have not started are taken back and run elsewhere, as Lambda would have run them: concurrently.
 */
export const HOLD_LIMIT_MS = 5;

/** Where an environment is in its life; `dead` covers terminated, crashed and given up. */
export type EnvironmentState = "starting" | "idle" | "busy" | "dead";

/** What an environment tells its pool; each is called at most once per state change. */
export interface EnvironmentEvents {
  /** The module is imported; the environment is idle and takes invocations. */
  ready(env: ExecutionEnvironment): void;
  /** The import failed or never finished; the environment is dead. */
  initFailed(env: ExecutionEnvironment, message: string): void;
  /** The invocation is answered (successfully or not); the environment is idle again. */
  done(env: ExecutionEnvironment): void;
  /** The invocation it was about to run was withdrawn before the worker started it; it is idle again. */
  withdrew(env: ExecutionEnvironment): void;
  /** The worker died after init (timeout, crash, exit, memory); any in-flight invocation is answered. */
  died(env: ExecutionEnvironment): void;
  /** Invocations waiting behind one that ran past HOLD_LIMIT_MS, taken back unstarted, oldest first. */
  tookBack(env: ExecutionEnvironment, invocations: Dispatched[]): void;
  /** The environment stayed idle for the idle TTL. */
  idleExpired(env: ExecutionEnvironment): void;
}

/** Options shared by every environment of one function version. */
export interface EnvironmentOptions {
  spec: FunctionSpec;
  log: FunctionLog;
  idleTtlMs: number;
  /** Start at a low CPU priority (the function has been timing out or crashing). */
  lowPriority: boolean;
  events: EnvironmentEvents;
  /** Receives each line logged during an invocation, with its request id. */
  onLog?: (line: FunctionLogLine) => void;
}

/** The heap's young generation: small for small functions (memory per worker), capped for big ones. */
function youngGenerationMb(memoryMb: number): number {
  return Math.min(32, Math.max(4, Math.floor(memoryMb / 16)));
}

// Loaders such as tsx are left out (bundles are plain ESM); source maps are always on, so every stack a
// handler logs or throws names the app's source file and line, not the bundle (docs/runtime.md).
const WORKER_FLAGS = ["--enable-source-maps"];

/** The nice value of a deprioritized worker thread: it runs when the others leave a core free. */
const LOW_PRIORITY = 19;

/** Length of a clock tick in /proc stat times (USER_HZ is 100 on Linux). */
const TICK_MS = 10;

/** User plus system CPU time of one thread of this process, in clock ticks; -1 when it cannot be read. */
function threadCpuTicks(tid: number): number {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return -1;
  }
}

/** An invocation handed to an environment: the current one, or one queued behind it in the worker. */
export interface Dispatched {
  requestId: string;
  /** The event as JSON text. */
  event: string;
  resolve: (outcome: InvokeOutcome) => void;
  /** Its claim ticket on this environment's worker (see ClaimSlots). */
  ticket: number;
  /** Aborted when the caller stops waiting: taken back and answered as withdrawn unless the worker started it. */
  signal?: InvocationSignal;
}

/** The answer to an invocation whose caller stopped waiting before it started (docs/runtime.md). */
export const WITHDRAWN: InvokeOutcome = {
  ok: false,
  kind: "withdrawn",
  message: "The caller stopped waiting before the invocation started; it was not run",
};

/**
 * One Lambda execution environment: a worker thread that imports the bundle once and runs one invocation at a
 * time. It enforces the timeout and turns every way a worker can fail into an InvokeOutcome.
 *
 * Under load the pool may hand a busy environment more invocations before the current one ends. The worker
 * still runs them one after the other (its port queues the messages), but it finds the next one waiting
 * instead of sleeping and being woken for it: waking a thread costs more than the message on a small machine.
 * Each one's timeout starts only when it starts, and those not yet started can be taken back (ClaimSlots):
 * after HOLD_LIMIT_MS of the current one, and when the worker dies.
 */
export class ExecutionEnvironment {
  state: EnvironmentState = "starting";
  /** Invocations started on this environment. */
  invocations = 0;
  private readonly worker: Worker;
  /** Dispatched and unanswered, oldest first; the first is running. */
  private pending: Dispatched[] = [];
  private readonly claims = new ClaimSlots();
  /** The running (or last) invocation's id, for log lines. */
  private requestId = "";
  /** When the running invocation started (performance.now()). */
  startedAt = 0;
  /** How long the last answered invocation ran, in ms. */
  lastDurationMs = 0;
  /** Whether the last answered invocation succeeded (a handler error is an answer, but not a success). */
  lastOk = true;
  /** Invocations dispatched in this turn of the event loop, posted together at its end (see WorkerInvocations). */
  private outbox: WorkerInvocations = [];
  private initTimer: NodeJS.Timeout | null;
  // Created once and refreshed per invocation / idle period, so a warm invocation allocates no timer.
  private invokeTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private holdTimer: NodeJS.Timeout | null = null;
  private lastError: (Error & { code?: string }) | null = null;
  private terminated: Promise<void> | null = null;
  /** The worker's OS thread id (Linux), to lower its priority and read its CPU time; 0 when unknown. */
  private threadId = 0;
  /** CPU time the thread had used at the last slow-invocation check, in clock ticks, and when (ms). */
  private lastCpuTicks = -1;
  private lastCpuCheck = 0;
  /** True once the thread runs (or was asked to run) at low priority. */
  lowPriority: boolean;
  /** The worker lowered its own priority at startup (see lambda-worker.js). */
  private readonly startedLow: boolean;

  constructor(private readonly options: EnvironmentOptions) {
    const { spec } = options;
    this.lowPriority = options.lowPriority;
    this.startedLow = options.lowPriority;
    const logStreamName = newLogStreamName();
    this.worker = new Worker(WORKER_ENTRY, {
      workerData: {
        ...lambdaWorkerData(spec, logStreamName, this.claims.slots),
        lowPriority: options.lowPriority,
        maxLogMessageChars: options.log.maxMessageChars,
      },
      env: lambdaEnvironment(spec, logStreamName),
      execArgv: WORKER_FLAGS,
      stdout: true,
      stderr: true,
      name: `lambda ${spec.functionName}`,
      resourceLimits: {
        maxOldGenerationSizeMb: spec.memoryMb,
        maxYoungGenerationSizeMb: youngGenerationMb(spec.memoryMb),
      },
    });
    this.worker.on("message", (message: WorkerMessage) => this.onMessage(message));
    this.worker.on("error", (err) => {
      this.lastError = err;
    });
    this.worker.on("exit", (code) => this.onExit(code));
    this.forward(this.worker.stdout, "stdout");
    this.forward(this.worker.stderr, "stderr");
    this.initTimer = setTimeout(() => this.onInitTimeout(), INIT_TIMEOUT_MS);
    this.initTimer.unref();
  }

  /** Raw process.stdout/stderr writes of the handler, split into lines by the function's log. */
  private forward(stream: NodeJS.ReadableStream, name: "stdout" | "stderr"): void {
    const { log } = this.options;
    const lines = log.splitter(name, () => this.requestId);
    stream.on("data", (chunk: Buffer) => {
      // A flood is counted but neither decoded nor split (docs/runtime.md, "Log lines").
      if (log.dropping && !log.admit(chunk.length)) {
        lines.discard();
        return;
      }
      lines.write(chunk);
    });
    stream.on("end", () => lines.end());
  }

  /**
   * Lowers the worker thread's CPU priority for the rest of its life (raising it back needs privileges):
   * its invocation runs long, or its function keeps failing.
   */
  deprioritize(): void {
    if (this.lowPriority && this.appliedLow) return;
    this.lowPriority = true;
    if (this.threadId === 0 || this.state === "dead") return;
    try {
      setPriority(this.threadId, LOW_PRIORITY);
    } catch {
      // Not Linux, or the thread is already gone: fairness is best effort.
    }
    this.appliedLow = true;
  }

  private appliedLow = false;

  /**
   * Called periodically while an invocation runs long: deprioritizes the worker when its thread kept a core
   * busy since the last check (a busy loop), not when it waits (on I/O, or for a core the machine lacks).
   */
  checkSlow(now: number): void {
    if (this.lowPriority || this.threadId === 0) return;
    const ticks = threadCpuTicks(this.threadId);
    if (ticks < 0) {
      this.deprioritize();
      return;
    }
    const elapsedMs = now - this.lastCpuCheck;
    const busy = this.lastCpuTicks >= 0 && elapsedMs > 0 && ((ticks - this.lastCpuTicks) * TICK_MS) / elapsedMs >= 0.5;
    this.lastCpuTicks = ticks;
    this.lastCpuCheck = now;
    if (busy) this.deprioritize();
  }

  /** Invocations dispatched and not yet answered (the running one included). */
  get backlog(): number {
    return this.pending.length;
  }

  /**
   * Dispatches one invocation: it starts now when the environment is idle, else right after the ones before
   * it. `resolve` receives the outcome exactly once.
   */
  run(requestId: string, event: string, resolve: (outcome: InvokeOutcome) => void, signal?: InvocationSignal): void {
    const ticket = this.claims.issue();
    const invocation: Dispatched = { requestId, event, resolve, ticket, signal };
    this.pending.push(invocation);
    if (signal !== undefined) signal.onabort = () => this.withdraw(invocation);
    if (this.pending.length === 1) this.start();
    else if (this.pending.length === 2) this.armHoldTimer();
    this.outbox.push(ticket, requestId, event);
    if (this.outbox.length === 3) setImmediate(() => this.flush());
  }

  /**
   * The caller gave up (the gateway answered 503 at its integration timeout): an invocation the worker has not
   * started is taken back and never runs, even one already posted to an idle worker; one it has started runs to
   * its end, as on Lambda (docs/runtime.md, "Withdrawn invocations").
   */
  private withdraw(invocation: Dispatched): void {
    const index = this.pending.indexOf(invocation);
    if (index === -1 || this.state !== "busy" || !this.claims.takeBack(invocation.ticket)) return;
    this.pending.splice(index, 1);
    invocation.resolve(WITHDRAWN);
    if (index > 0) return;
    // It was the one this thread counted as running: the worker will skip it, so the next one runs now.
    if (this.pending.length > 0) {
      this.start();
      return;
    }
    this.state = "idle";
    this.armIdleTimer();
    this.options.events.withdrew(this);
  }

  private flush(): void {
    const invocations = this.outbox;
    this.outbox = [];
    if (this.state === "dead" || invocations.length === 0) return;
    this.worker.postMessage(invocations);
  }

  /**
   * After the environment died: the invocations handed to it that never started (those that had started were
   * answered with the fault), for the pool to run elsewhere.
   */
  takeUnstarted(): Dispatched[] {
    return this.pending.splice(0);
  }

  /**
   * After the worker died: the running invocation gets `fault`, any other it had already started gets
   * `othersFault`; the unstarted stay for takeUnstarted. The running one is the one the main thread started,
   * even if the worker had not picked it up: as on Lambda, a crash between invocations (a previous one's
   * leftover timer, say) is reported on the invocation in progress.
   */
  private answerStarted(fault: InvokeOutcome, othersFault = fault): void {
    this.answer(fault);
    this.pending = this.pending.filter((invocation) => {
      if (this.claims.takeBack(invocation.ticket)) return true;
      invocation.resolve(othersFault);
      return false;
    });
  }

  /** Takes back the waiting invocations the worker has not started, so the pool can run them elsewhere. */
  private takeBackWaiting(): void {
    const kept = this.pending.slice(0, 1);
    const taken: Dispatched[] = [];
    for (let i = 1; i < this.pending.length; i++) {
      const invocation = this.pending[i];
      if (this.claims.takeBack(invocation.ticket)) taken.push(invocation);
      else kept.push(invocation);
    }
    this.pending = kept;
    if (taken.length > 0) this.options.events.tookBack(this, taken);
  }

  private start(): void {
    this.startedAt = performance.now();
    this.lastCpuTicks = -1;
    this.requestId = this.pending[0].requestId;
    this.state = "busy";
    this.invocations++;
    if (this.invokeTimer === null) {
      this.invokeTimer = setTimeout(() => this.onInvokeTimer(), this.options.spec.timeoutMs);
      this.invokeTimer.unref();
    } else {
      this.invokeTimer.refresh();
    }
    if (this.pending.length > 1) this.armHoldTimer();
  }

  /**
   * Terminates the worker on purpose (drain, idle reap, close). Every invocation dispatched to it gets
   * `outcome`, when given. Resolves when the thread is gone.
   */
  kill(outcome?: InvokeOutcome): Promise<void> {
    if (this.state !== "dead") {
      this.state = "dead";
      this.clearTimers();
      // The thread runs until terminate() lands: it must not start what is about to be answered for it.
      for (const invocation of this.pending) this.claims.takeBack(invocation.ticket);
      if (outcome !== undefined) while (this.pending.length > 0) this.answer(outcome);
      this.terminated = this.worker.terminate().then(
        () => undefined,
        () => undefined,
      );
    }
    return this.terminated ?? Promise.resolve();
  }

  private onMessage(message: WorkerMessage): void {
    if (Array.isArray(message)) {
      for (const report of message) this.onReport(report);
    } else {
      this.onReport(message);
    }
  }

  private onReport(message: WorkerReport): void {
    if (typeof message === "string") {
      this.finish({ ok: true, payload: message });
      return;
    }
    switch (message.t) {
      case "log": {
        // Lines written while the module is imported belong to no request ("").
        const stream = message.level === "ERROR" || message.level === "WARN" ? "stderr" : "stdout";
        this.options.log.line(stream, message.requestId, message.level, message.text);
        return;
      }
      case "error": {
        const report = { errorType: message.errorType, errorMessage: message.errorMessage, stack: message.stack };
        this.options.log.line("stderr", this.requestId, "ERROR", `Invoke Error ${JSON.stringify(report)}`);
        this.finish({ ok: false, kind: "handler_error", message: message.errorMessage });
        return;
      }
      case "ready":
        if (this.state !== "starting") return;
        this.clearInitTimer();
        // A worker started at low priority lowered it itself; one deprioritized while it started is lowered now.
        this.threadId = message.tid ?? 0;
        this.appliedLow = this.startedLow;
        if (this.lowPriority) this.deprioritize();
        this.state = "idle";
        this.armIdleTimer();
        this.options.events.ready(this);
        return;
      case "init_error":
        if (this.state !== "starting") return;
        void this.kill();
        this.options.events.initFailed(this, message.message);
        return;
    }
  }

  private finish(outcome: InvokeOutcome): void {
    // A late answer from a worker that was already given up (timed out, killed) is dropped.
    if (this.state !== "busy") return;
    this.lastDurationMs = performance.now() - this.startedAt;
    this.lastOk = outcome.ok;
    this.answer(outcome);
    if (this.pending.length > 0) {
      this.start();
    } else {
      this.state = "idle";
      this.armIdleTimer();
    }
    this.options.events.done(this);
  }

  /** Answers the running (oldest) invocation. */
  private answer(outcome: InvokeOutcome): void {
    this.pending.shift()?.resolve(outcome);
  }

  private onInvokeTimer(): void {
    // The timer is refreshed at every dispatch, so firing while busy means the current invocation overran.
    if (this.state !== "busy") return;
    const message = `Task timed out after ${(this.options.spec.timeoutMs / 1000).toFixed(2)} seconds`;
    this.options.log.line("stderr", this.requestId, undefined, message);
    this.answerStarted(
      { ok: false, kind: "timeout", message },
      { ok: false, kind: "crashed", message: `The execution environment was stopped: an earlier invocation timed out` },
    );
    void this.kill();
    this.options.events.died(this);
  }

  private onInitTimeout(): void {
    if (this.state !== "starting") return;
    void this.kill();
    this.options.events.initFailed(
      this,
      `Runtime.InitTimeout: importing ${this.options.spec.bundlePath} took longer than ${INIT_TIMEOUT_MS / 1000} seconds`,
    );
  }

  private onExit(code: number): void {
    if (this.state === "dead") return;
    const previous = this.state;
    this.state = "dead";
    this.clearTimers();
    const fault = this.describeExit(code);
    if (previous === "starting") {
      this.options.events.initFailed(this, fault.message);
      return;
    }
    if (previous === "busy") {
      this.options.log.line("stderr", this.requestId, undefined, fault.message);
      this.answerStarted(fault);
    } else {
      this.options.log.line(
        "stderr",
        this.requestId,
        undefined,
        `${fault.message} (after the response; the environment is replaced)`,
      );
    }
    this.options.events.died(this);
  }

  private describeExit(code: number): InvokeOutcome & { ok: false } {
    const err = this.lastError;
    if (err?.code === "ERR_WORKER_OUT_OF_MEMORY") {
      return {
        ok: false,
        kind: "out_of_memory",
        message: `Runtime exited with error: out of memory (memory size ${this.options.spec.memoryMb} MB)`,
      };
    }
    if (err !== null) {
      return { ok: false, kind: "crashed", message: `Runtime.UncaughtException: ${err.name}: ${err.message}` };
    }
    const message =
      code === 0 ? "Runtime exited without providing a reason" : `Runtime exited with error: exit status ${code}`;
    return { ok: false, kind: "exited", message };
  }

  private onHoldTimer(): void {
    if (this.state !== "busy" || this.pending.length < 2) return;
    // The timer is refreshed whenever an invocation starts, so it may fire just short of the limit.
    if (performance.now() - this.startedAt >= HOLD_LIMIT_MS - 1) this.takeBackWaiting();
    else this.holdTimer?.refresh();
  }

  private armHoldTimer(): void {
    if (this.holdTimer === null) {
      this.holdTimer = setTimeout(() => this.onHoldTimer(), HOLD_LIMIT_MS);
      this.holdTimer.unref();
    } else {
      this.holdTimer.refresh();
    }
  }

  private armIdleTimer(): void {
    if (this.idleTimer === null) {
      this.idleTimer = setTimeout(() => {
        if (this.state === "idle") this.options.events.idleExpired(this);
      }, this.options.idleTtlMs);
      this.idleTimer.unref();
    } else {
      this.idleTimer.refresh();
    }
  }

  private clearInitTimer(): void {
    if (this.initTimer !== null) clearTimeout(this.initTimer);
    this.initTimer = null;
  }

  private clearTimers(): void {
    this.clearInitTimer();
    if (this.invokeTimer !== null) clearTimeout(this.invokeTimer);
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
  }
}
