import type { JwtAuthorizerManifest } from "../manifest/manifest.js";
import { type IdentitySource, parseIdentitySource } from "../app/identity-source.js";
import { readToken } from "./identity-source.js";
import { JwksCache, type JwksCacheOptions } from "./jwks-cache.js";
import { stringifyClaims } from "./stringify-claims.js";
import { hasAnyScope, tokenScopes } from "./token-scopes.js";
import type { AuthorizationRequest, AuthorizationResult, Authorizer } from "./types.js";
import { VerificationCache, type VerifiedToken } from "./verification-cache.js";
import { type Refusal, type VerifyOutcome, verifyToken } from "./verify-token.js";

/** The key cache's options (fetch, now, cacheTtlMs, refetchCooldownMs, timeoutMs, issuerOverrides), plus: */
export interface JwtAuthorizerOptions extends Omit<JwksCacheOptions, "maxBodyBytes" | "onKeySetChange"> {
  /** Leeway for exp, nbf and iat; default 0 (AWS's skew is unverified, docs/api-gateway.md §3.2). */
  clockSkewSeconds?: number;
  /** Verified tokens remembered per authorizer configuration; 0 turns the cache off. Default 2000. */
  verificationCacheSize?: number;
}

/** Counters for diagnostics and tests. */
export interface JwtAuthorizerStats {
  /** Tokens that went through full verification (signature included). */
  verifications: number;
  /** Requests answered from the verification cache. */
  cacheHits: number;
  /** Discovery and JWKS requests made. */
  keyFetches: number;
}

const UNAUTHORIZED_MISSING = "the token is missing";

/**
 * API Gateway's JWT authorizer (docs/api-gateway.md §3): reads the token from the identity source, verifies it with
 * jose against the issuer's published RSA keys, checks iss, aud/client_id, time claims and route scopes,
 * and returns the claims Lambda sees. Fails closed: any doubt is a 401, never an open route or a hang.
 */
export class JwtAuthorizer implements Authorizer {
  private readonly keys: JwksCache;
  private readonly verified: VerificationCache;
  private readonly now: () => number;
  private readonly skewSeconds: number;
  private readonly configKeys = new WeakMap<JwtAuthorizerManifest, { key: string; source: IdentitySource | null }>();
  private readonly pending = new Map<string, Promise<(VerifiedToken & { ok: true }) | Refusal>>();
  private verificationCount = 0;
  private hitCount = 0;

  constructor(options: JwtAuthorizerOptions = {}) {
    const { clockSkewSeconds, verificationCacheSize, ...keyOptions } = options;
    this.now = options.now ?? Date.now;
    this.skewSeconds = clockSkewSeconds ?? 0;
    this.verified = new VerificationCache(verificationCacheSize ?? 2000);
    this.keys = new JwksCache({
      ...keyOptions,
      now: this.now,
      onKeySetChange: (issuer) => this.verified.dropIssuer(issuer),
    });
  }

  /** Counters: full verifications, cache hits, key fetches. */
  get stats(): JwtAuthorizerStats {
    return { verifications: this.verificationCount, cacheHits: this.hitCount, keyFetches: this.keys.fetches };
  }

  /** The verdict for one request on a JWT route. */
  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    const config = this.configOf(request.authorizer);
    if (!config.source) {
      const source = JSON.stringify(request.authorizer.identitySource);
      return unauthorized(
        "the authorizer is misconfigured",
        `identitySource ${source} is not $request.header.<Name> or $request.querystring.<name>`,
      );
    }
    const token = readToken(config.source, request.headers, request.query);
    if (token === null) {
      const where = config.source.in === "header" ? `no ${config.source.name} header` : `no ${config.source.name} query parameter`;
      return unauthorized(UNAUTHORIZED_MISSING, `no token: the request has ${where} (or it is empty)`);
    }

    const now = this.now();
    const cached = this.verified.get(config.key, token, now);
    if (cached) {
      this.hitCount++;
      return decide(cached, request.scopes);
    }

    // Concurrent requests carrying the same token (a client's parallel calls) share one verification.
    const pendingKey = `${config.key}\n${token}`;
    let pending = this.pending.get(pendingKey);
    if (!pending) {
      pending = this.verifyAndRemember(token, request.authorizer, config.key, now);
      this.pending.set(pendingKey, pending);
      void pending.finally(() => this.pending.delete(pendingKey));
    }
    const outcome = await pending;
    if (!outcome.ok) return unauthorized(outcome.description, outcome.reason);
    return decide(outcome, request.scopes);
  }

  /** Full verification of a token not in the cache; a success is remembered. Never rejects. */
  private async verifyAndRemember(
    token: string,
    authorizer: JwtAuthorizerManifest,
    configKey: string,
    now: number,
  ): Promise<(VerifiedToken & { ok: true }) | Refusal> {
    this.verificationCount++;
    const generation = this.verified.generationOf(authorizer.issuer);
    let outcome: VerifyOutcome;
    try {
      outcome = await verifyToken(token, authorizer, { keys: this.keys, now, clockSkewSeconds: this.skewSeconds });
    } catch (err) {
      // A bug here must close the route, not open it or crash the server.
      return { ok: false, description: "the token could not be verified", reason: `internal error: ${(err as Error).message}` };
    }
    if (!outcome.ok) return outcome;
    const entry: VerifiedToken = {
      claims: Object.freeze(stringifyClaims(outcome.payload)),
      scopes: Object.freeze(tokenScopes(outcome.payload)),
      validUntilMs: outcome.validUntilMs,
    };
    this.verified.set(configKey, authorizer.issuer, token, entry, generation);
    return { ok: true, ...entry };
  }

  /** Forgets cached keys and verified tokens. */
  async close(): Promise<void> {
    this.verified.clear();
    this.keys.clear();
  }

  private configOf(authorizer: JwtAuthorizerManifest): { key: string; source: IdentitySource | null } {
    let config = this.configKeys.get(authorizer);
    if (!config) {
      config = {
        key: JSON.stringify([authorizer.issuer, [...authorizer.audience]]),
        source: parseIdentitySource(authorizer.identitySource),
      };
      this.configKeys.set(authorizer, config);
    }
    return config;
  }
}

/** Applies the route's scopes to a verified token (docs/api-gateway.md §3.2 step 4, §3.4). */
function decide(entry: VerifiedToken, routeScopes: string[]): AuthorizationResult {
  if (routeScopes.length === 0) return { allow: true, claims: entry.claims as Record<string, string>, scopes: null };
  if (!hasAnyScope(entry.scopes, routeScopes)) {
    return {
      allow: false,
      status: 403,
      description: "the token does not have the required scope",
      reason: `missing scope ${routeScopes.join(" or ")} (the token has ${entry.scopes.length === 0 ? "no scope" : entry.scopes.join(" ")})`,
    };
  }
  return { allow: true, claims: entry.claims as Record<string, string>, scopes: entry.scopes as string[] };
}

function unauthorized(description: string, reason: string): AuthorizationResult {
  return { allow: false, status: 401, description, reason };
}
