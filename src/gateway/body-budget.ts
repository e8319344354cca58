/**
 * Bytes of request bodies the process may hold at once, shared by every gateway in it (docs/runtime.md,
 * "Request bodies"). A declared Content-Length is reserved before a byte is read; a chunked body is counted
 * as it arrives. What does not fit is refused, so slow or held-back uploads cannot exhaust memory.
 */
export class BodyBudget {
  private usedBytes = 0;

  constructor(readonly limitBytes: number) {
    if (!Number.isFinite(limitBytes) || limitBytes < 0) throw new TypeError(`a body budget must be a size in bytes, got ${limitBytes}`);
  }

  /** Bytes reserved now. */
  get used(): number {
    return this.usedBytes;
  }

  /** Reserves `bytes`; false (and nothing reserved) when they do not fit. */
  tryReserve(bytes: number): boolean {
    if (this.usedBytes + bytes > this.limitBytes) return false;
    this.usedBytes += bytes;
    return true;
  }

  release(bytes: number): void {
    this.usedBytes = Math.max(0, this.usedBytes - bytes);
  }
}

/** Default size of the process-wide budget: a dozen 10 MB bodies at once. */
export const DEFAULT_BODY_BUDGET_BYTES = 128 * 1024 * 1024;

/** The budget every gateway of this process shares unless given its own. */
export const processBodyBudget = new BodyBudget(DEFAULT_BODY_BUDGET_BYTES);
