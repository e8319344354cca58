import { importJWK } from "jose";
import { discoveryUrlOf, parseKeySourceUrl } from "../app/issuer-url.js";
import { fetchLimitedJson } from "./read-limited-json.js";

/** The only algorithms API Gateway's JWT authorizer accepts. */
export const RSA_ALGORITHMS = ["RS256", "RS384", "RS512"] as const;
export type RsaAlgorithm = (typeof RSA_ALGORITHMS)[number];

export interface JwksCacheOptions {
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** How long a fetched discovery document and key set are trusted (AWS: up to 1 h). */
  cacheTtlMs?: number;
  /** Least time between two fetches caused by unknown `kid`s, so forged kids cannot hammer the issuer. */
  refetchCooldownMs?: number;
  /** Per request, discovery and JWKS each (AWS: 1500 ms). */
  timeoutMs?: number;
  /** Largest discovery or JWKS body accepted (AWS: 150000 bytes for the JWKS). */
  maxBodyBytes?: number;
  /** Where an issuer's discovery document is fetched instead, e.g. a local provider impersonating it. */
  issuerOverrides?: (issuer: string) => string | undefined;
  /** Called after an issuer's key set changed (keys added, removed or replaced). */
  onKeySetChange?: (issuer: string) => void;
}

/** The outcome of looking up a signing key: the key, or why there is none (for the dev log). */
export type KeyLookup =
  | { ok: true; key: CryptoKey; /** Until when this answer may be reused without asking again. */ freshUntilMs: number }
  | { ok: false; kind: "unknown_kid" | "keys_unavailable" | "key_unusable"; problem: string };

interface KeySet {
  byKid: Map<string, Record<string, unknown>>;
  fingerprint: string;
  fetchedAt: number;
}

interface IssuerState {
  jwksUri: string | null;
  discoveredAt: number;
  keySet: KeySet | null;
  lastAttemptAt: number;
  /** When an unknown kid last caused a refetch (the cooldown counts from here). */
  kidRefetchAt: number;
  lastProblem: string | null;
  inflight: Promise<void> | null;
  imported: Map<string, Promise<CryptoKey>>;
}

/**
 * Signing keys per issuer, found through OIDC discovery and cached like API Gateway does: one hour,
 * refetched when a token names an unseen `kid` (at most once per cooldown, concurrent asks coalesced),
 * and kept when the issuer stops answering so tokens signed by known keys still verify.
 */
export class JwksCache {
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly cooldownMs: number;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly overrides: ((issuer: string) => string | undefined) | undefined;
  private readonly onKeySetChange: ((issuer: string) => void) | undefined;
  private readonly issuers = new Map<string, IssuerState>();
  private fetchCount = 0;

  constructor(options: JwksCacheOptions = {}) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.ttlMs = options.cacheTtlMs ?? 3_600_000;
    this.cooldownMs = options.refetchCooldownMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.maxBodyBytes = options.maxBodyBytes ?? 150_000;
    this.overrides = options.issuerOverrides;
    this.onKeySetChange = options.onKeySetChange;
  }

  /** How many discovery and JWKS requests were made (diagnostics). */
  get fetches(): number {
    return this.fetchCount;
  }

  /** The verification key for `kid` and `alg` from `issuer`'s key set, fetching or refetching as needed. */
  async keyFor(issuer: string, kid: string, alg: RsaAlgorithm): Promise<KeyLookup> {
    const state = this.stateOf(issuer);
    if (state.inflight) await state.inflight;
    const stale = !state.keySet || this.now() - state.keySet.fetchedAt >= this.ttlMs;
    if (stale && this.mayAttempt(state)) await this.refresh(issuer, state, true);
    if (!state.keySet) {
      return { ok: false, kind: "keys_unavailable", problem: state.lastProblem ?? "the key set was never fetched" };
    }
    let jwk = state.keySet.byKid.get(kid);
    if (!jwk) {
      // The cooldown counts from the last refetch an unknown kid caused, not from a routine fetch, so a key
      // rotated just after the first request is picked up at once while forged kids still cost one fetch.
      if (this.now() - state.kidRefetchAt >= this.cooldownMs) {
        state.kidRefetchAt = this.now();
        await this.refresh(issuer, state, false);
      } else if (state.inflight) await state.inflight;
      jwk = state.keySet.byKid.get(kid);
    }
    if (!jwk) {
      const known = [...state.keySet.byKid.keys()].map((k) => JSON.stringify(k)).join(", ");
      const down = state.lastProblem ? ` (last refresh failed: ${state.lastProblem})` : "";
      return {
        ok: false,
        kind: "unknown_kid",
        problem: `no key with kid ${JSON.stringify(kid)} in the key set of ${issuer} (known: ${known || "none"})${down}`,
      };
    }
    if (typeof jwk.alg === "string" && jwk.alg !== alg) {
      return { ok: false, kind: "key_unusable", problem: `key ${JSON.stringify(kid)} is for ${jwk.alg}, the token uses ${alg}` };
    }
    const importKey = `${kid}\n${alg}`;
    let imported = state.imported.get(importKey);
    if (!imported) {
      const { kty, n, e } = jwk;
      imported = importJWK({ kty: kty as string, n: n as string, e: e as string }, alg) as Promise<CryptoKey>;
      state.imported.set(importKey, imported);
    }
    try {
      const key = await imported;
      const freshUntilMs = Math.max(state.keySet.fetchedAt + this.ttlMs, state.lastAttemptAt + this.cooldownMs);
      return { ok: true, key, freshUntilMs };
    } catch (err) {
      state.imported.delete(importKey);
      return { ok: false, kind: "key_unusable", problem: `key ${JSON.stringify(kid)} cannot be imported: ${(err as Error).message}` };
    }
  }

  /** Forgets everything (keys, discovery); the next lookup fetches again. */
  clear(): void {
    this.issuers.clear();
  }

  private stateOf(issuer: string): IssuerState {
    let state = this.issuers.get(issuer);
    if (!state) {
      state = {
        jwksUri: null,
        discoveredAt: 0,
        keySet: null,
        lastAttemptAt: Number.NEGATIVE_INFINITY,
        kidRefetchAt: Number.NEGATIVE_INFINITY,
        lastProblem: null,
        inflight: null,
        imported: new Map(),
      };
      this.issuers.set(issuer, state);
    }
    return state;
  }

  /**
   * Without any keys a retry after a short pause is allowed (the issuer may just be starting); with
   * stale keys the full cooldown applies so a down issuer is not asked on every request.
   */
  private mayAttempt(state: IssuerState): boolean {
    const pause = state.keySet ? this.cooldownMs : Math.min(this.cooldownMs, 1000);
    return this.now() - state.lastAttemptAt >= pause;
  }

  /** Fetches discovery (when due) and the key set; concurrent callers share one fetch. */
  private refresh(issuer: string, state: IssuerState, rediscover: boolean): Promise<void> {
    if (state.inflight) return state.inflight;
    state.lastAttemptAt = this.now();
    state.inflight = this.load(issuer, state, rediscover).finally(() => {
      state.inflight = null;
    });
    return state.inflight;
  }

  private async load(issuer: string, state: IssuerState, rediscover: boolean): Promise<void> {
    const discoveryDue = rediscover || !state.jwksUri || this.now() - state.discoveredAt >= this.ttlMs;
    if (discoveryDue) {
      const jwksUri = await this.discover(issuer);
      if (!jwksUri.ok) {
        state.lastProblem = jwksUri.problem;
        return;
      }
      state.jwksUri = jwksUri.value;
      state.discoveredAt = this.now();
    }
    const fetched = await this.fetchJson(state.jwksUri!, "JWKS");
    if (!fetched.ok) {
      state.lastProblem = fetched.problem;
      return;
    }
    const keySet = parseKeySet(fetched.value, this.now());
    if (!keySet.ok) {
      state.lastProblem = `JWKS ${state.jwksUri}: ${keySet.problem}`;
      return;
    }
    const changed = state.keySet !== null && state.keySet.fingerprint !== keySet.value.fingerprint;
    if (state.keySet === null || changed) state.imported.clear();
    state.keySet = keySet.value;
    state.lastProblem = null;
    if (changed) this.onKeySetChange?.(issuer);
  }

  private async discover(issuer: string): Promise<{ ok: true; value: string } | { ok: false; problem: string }> {
    const baseText = this.overrides?.(issuer) ?? issuer;
    const base = parseKeySourceUrl(baseText);
    if (!base.ok) return { ok: false, problem: `issuer ${base.problem}` };
    const url = discoveryUrlOf(base.url);
    const doc = await this.fetchJson(url, "discovery document");
    if (!doc.ok) return doc;
    const jwksUri = (doc.value as { jwks_uri?: unknown } | null)?.jwks_uri;
    if (typeof jwksUri !== "string") return { ok: false, problem: `discovery document ${url} has no jwks_uri` };
    const jwks = parseKeySourceUrl(jwksUri);
    if (!jwks.ok) return { ok: false, problem: `jwks_uri ${jwks.problem}` };
    return { ok: true, value: jwks.url.href };
  }

  private fetchJson(url: string, what: string) {
    this.fetchCount++;
    return fetchLimitedJson(url, { fetch: this.fetch, timeoutMs: this.timeoutMs, maxBytes: this.maxBodyBytes, what });
  }
}

/** Keeps the RSA signing keys that carry a kid; others can never verify a token API Gateway accepts. */
function parseKeySet(value: unknown, now: number): { ok: true; value: KeySet } | { ok: false; problem: string } {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return { ok: false, problem: 'no "keys" array' };
  const byKid = new Map<string, Record<string, unknown>>();
  for (const key of keys) {
    if (typeof key !== "object" || key === null) continue;
    const jwk = key as Record<string, unknown>;
    if (jwk.kty !== "RSA" || typeof jwk.kid !== "string") continue;
    if (typeof jwk.n !== "string" || typeof jwk.e !== "string") continue;
    if (jwk.use !== undefined && jwk.use !== "sig") continue;
    // The first key wins when kids repeat, as in most JWKS clients.
    if (!byKid.has(jwk.kid)) byKid.set(jwk.kid, { kty: jwk.kty, kid: jwk.kid, n: jwk.n, e: jwk.e, alg: jwk.alg });
  }
  const fingerprint = JSON.stringify([...byKid.values()].map((k) => [k.kid, k.n, k.e, k.alg ?? null]));
  return { ok: true, value: { byKid, fingerprint, fetchedAt: now } };
}
