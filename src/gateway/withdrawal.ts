import type { InvocationSignal } from "../runtime/types.js";

/**
 * Says that nobody waits for a request's answer any more: its client left, or the integration timeout
 * answered for it. The runtime then withdraws the invocation if it has not started. A plain object rather
 * than an AbortController: one is made per request, and listening on an AbortSignal costs microseconds.
 */
export class Withdrawal implements InvocationSignal {
  aborted = false;
  onabort: ((this: never, event: never) => unknown) | null = null;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const handler = this.onabort as (() => unknown) | null;
    this.onabort = null;
    handler?.();
  }
}
