/**
 * Auth0-style brute-force protection: after `limit` consecutive failed logins for one account from one IP,
 * that pair is blocked for `blockSeconds` (Auth0 blocks for 30 days; a dev tool unblocks after 15 minutes or a
 * restart). Unknown e-mails count too, so blocking reveals nothing about which accounts exist.
 */
/** Above this many tracked pairs, pairs neither blocked nor failing lately are forgotten. */
const MAX_TRACKED = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; lastFailureAt: number; blockedUntil?: number }>();

  constructor(
    private readonly limit = 10,
    private readonly blockSeconds = 15 * 60,
  ) {}

  private key(email: string, ip: string): string {
    return `${email.trim().toLowerCase()}\u0000${ip}`;
  }

  /** True while this account/IP pair is blocked. */
  isBlocked(email: string, ip: string): boolean {
    const entry = this.failures.get(this.key(email, ip));
    if (!entry?.blockedUntil) return false;
    if (entry.blockedUntil > Date.now()) return true;
    this.failures.delete(this.key(email, ip));
    return false;
  }

  /** Records a failed attempt; returns true when it made the pair blocked. */
  recordFailure(email: string, ip: string): boolean {
    const key = this.key(email, ip);
    const now = Date.now();
    if (this.failures.size >= MAX_TRACKED) this.prune(now);
    const entry = this.failures.get(key) ?? { count: 0, lastFailureAt: now };
    entry.count += 1;
    entry.lastFailureAt = now;
    if (entry.count >= this.limit) entry.blockedUntil = Date.now() + this.blockSeconds * 1000;
    this.failures.set(key, entry);
    return entry.blockedUntil !== undefined;
  }

  /** Forgets pairs whose block ended, and unblocked pairs with no failure for a block's length. */
  private prune(now: number): void {
    const window = this.blockSeconds * 1000;
    for (const [key, entry] of this.failures) {
      if (entry.blockedUntil !== undefined ? entry.blockedUntil <= now : now - entry.lastFailureAt >= window) this.failures.delete(key);
    }
  }

  /** Clears the counter after a successful login. */
  recordSuccess(email: string, ip: string): void {
    this.failures.delete(this.key(email, ip));
  }
}

/** The message Auth0 shows to a blocked account. */
export const BLOCKED_MESSAGE = "Your account has been blocked after multiple consecutive login attempts.";
