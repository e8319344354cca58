/**
 * Remembers tokens that passed verification so a repeat costs one Map lookup instead of an RSA check.
 * Safe because the key is the exact token string under one authorizer configuration, an entry ends at the
 * token's exp (or when the issuer's key set is due for a refresh), and a changed key set drops its entries.
 * Only successes are kept: a refusal may turn into a success once the issuer publishes a new key.
 */

/** What is kept for a verified token: its claims and scopes ready for the event. */
export interface VerifiedToken {
  claims: Readonly<Record<string, string>>;
  scopes: readonly string[];
  /** Milliseconds since the epoch after which the entry is not used. */
  validUntilMs: number;
}

interface Bucket {
  issuer: string;
  entries: Map<string, VerifiedToken>;
}

/** A bounded least-recently-used cache of verified tokens, one bucket per authorizer configuration. */
export class VerificationCache {
  private readonly buckets = new Map<string, Bucket>();
  /** Bumped when an issuer's entries are dropped, so a verification begun before cannot store a stale result. */
  private readonly generations = new Map<string, number>();

  /** `maxEntries` bounds each authorizer configuration's bucket. */
  constructor(private readonly maxEntries = 2000) {}

  /** The live entry for `token` under `configKey`, or undefined (expired entries are dropped). */
  get(configKey: string, token: string, now: number): VerifiedToken | undefined {
    const entries = this.buckets.get(configKey)?.entries;
    if (!entries) return undefined;
    const entry = entries.get(token);
    if (!entry) return undefined;
    if (now >= entry.validUntilMs) {
      entries.delete(token);
      return undefined;
    }
    // Re-inserting moves the entry to the young end of the Map's insertion order.
    entries.delete(token);
    entries.set(token, entry);
    return entry;
  }

  /** The current generation of `issuer`'s entries; pass it to `set` after verifying. */
  generationOf(issuer: string): number {
    return this.generations.get(issuer) ?? 0;
  }

  /**
   * Stores a verified token, evicting the least recently used entry when the bucket is full. Nothing is
   * stored when the issuer's keys changed since `generation` was read (the verification used old keys).
   */
  set(configKey: string, issuer: string, token: string, entry: VerifiedToken, generation = this.generationOf(issuer)): void {
    if (this.maxEntries <= 0 || generation !== this.generationOf(issuer)) return;
    let bucket = this.buckets.get(configKey);
    if (!bucket) {
      bucket = { issuer, entries: new Map() };
      this.buckets.set(configKey, bucket);
    }
    bucket.entries.delete(token);
    bucket.entries.set(token, entry);
    while (bucket.entries.size > this.maxEntries) {
      const oldest = bucket.entries.keys().next().value as string;
      bucket.entries.delete(oldest);
    }
  }

  /** Drops every entry verified against `issuer`'s keys (called when its key set changes). */
  dropIssuer(issuer: string): void {
    this.generations.set(issuer, this.generationOf(issuer) + 1);
    for (const bucket of this.buckets.values()) if (bucket.issuer === issuer) bucket.entries.clear();
  }

  /** Drops everything. */
  clear(): void {
    this.buckets.clear();
  }

  /** Number of entries held, across configurations. */
  get size(): number {
    let total = 0;
    for (const bucket of this.buckets.values()) total += bucket.entries.size;
    return total;
  }
}
