/**
 * How many tickets can be outstanding on one worker. A slot is reused every CLAIM_SLOTS tickets, so this must
 * exceed the most invocations one worker can hold (the running one, those queued behind it, and those taken
 * back while it ran): see QUEUED_PER_WORKER.
 */
export const CLAIM_SLOTS = 128;

// Tickets stay positive int32s, so a started ticket (its negation) and a free slot (0) never look like one.
const LAST_TICKET = 0x3fffffff;

/**
 * Tickets for invocations handed to one worker ahead of time. Each dispatched invocation's ticket is written
 * into memory shared with the worker; whichever thread swaps it out first owns the invocation: the worker to
 * start it (ticket → -ticket, in lambda-worker.js), the main thread to take it back and run it elsewhere
 * (ticket → 0). An atomic swap cannot be won twice, so an invocation never runs twice or not at all.
 */
export class ClaimSlots {
  /** Shared with the worker (as `workerData.claims`). */
  readonly slots = new Int32Array(new SharedArrayBuffer(CLAIM_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  private next = 1;

  /** A new ticket, open for the worker to claim. */
  issue(): number {
    const ticket = this.next;
    this.next = ticket === LAST_TICKET ? 1 : ticket + 1;
    Atomics.store(this.slots, ticket % CLAIM_SLOTS, ticket);
    return ticket;
  }

  /** True when the worker had not started the invocation: it is now the caller's to run elsewhere. */
  takeBack(ticket: number): boolean {
    return Atomics.compareExchange(this.slots, ticket % CLAIM_SLOTS, ticket, 0) === ticket;
  }
}
