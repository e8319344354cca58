import { GatehouseError } from "../errors.js";

/**
 * Bounds running the app's stacks code inside this process: each step must settle within the time left,
 * and `process.exit` called by the stacks becomes an error instead of ending the process (dev, deploy)
 * without a word. One guard per synth; `dispose` puts the real `process.exit` back.
 */
export class StacksRunGuard {
  private readonly realExit = process.exit;
  private readonly deadline: number;
  private exitRequested: GatehouseError | null = null;
  private failExit: ((err: GatehouseError) => void) | null = null;
  private disposed = false;

  constructor(
    private readonly entryName: string,
    private readonly timeoutMs: number,
  ) {
    this.deadline = performance.now() + timeoutMs;
    const guard = this;
    process.exit = function exitDuringSynth(code?: number | string | null): never {
      const error = new GatehouseError(
        "GH_ERR_STACKS_RUN_FAILED",
        `${guard.entryName} called process.exit(${code ?? ""}) while the stacks ran. Fix: return from main(app) (or throw an Error) instead of exiting the process.`,
      );
      guard.exitRequested ??= error;
      guard.failExit?.(error);
      // No throw: called from a timer, a throw would be uncaught and end the process after all. The code
      // after the call runs on, but the synth has already failed with the error above.
      return undefined as never;
    } as typeof process.exit;
  }

  /** Runs `step`, rejecting with a coded error when it exits the process or outlives the time left. */
  run<T>(step: () => Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const left = Math.max(0, this.deadline - performance.now());
      // Referenced on purpose: a main that never settles leaves nothing else to keep the process alive.
      const timer = setTimeout(() => {
        reject(
          new GatehouseError(
            "GH_ERR_STACKS_RUN_FAILED",
            `${this.entryName}: ${what} did not finish within ${this.timeoutMs / 1000} s. Fix: make sure main(app) returns (an async main must settle; nothing may wait forever).`,
          ),
        );
      }, left);
      const settle = () => {
        clearTimeout(timer);
        this.failExit = null;
      };
      this.failExit = (err) => {
        settle();
        reject(err);
      };
      let pending: Promise<T>;
      try {
        pending = step();
      } catch (err) {
        pending = Promise.reject(err);
      }
      pending.then(
        (value) => {
          settle();
          if (this.exitRequested) reject(this.exitRequested);
          else resolve(value);
        },
        (err) => {
          settle();
          reject(this.exitRequested ?? err);
        },
      );
    });
  }

  /** Puts the real process.exit back. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    process.exit = this.realExit;
  }
}
