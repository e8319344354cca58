import { compactVerify, errors } from "jose";
import { findDuplicateKey } from "./duplicate-json-keys.js";
import { type JwksCache, RSA_ALGORITHMS, type RsaAlgorithm } from "./jwks-cache.js";

/**
 * Request line plus headers may not exceed 10240 bytes at API Gateway (docs/api-gateway.md §7), so no longer token can
 * reach a real authorizer; refusing it before decoding keeps huge inputs cheap.
 */
export const MAX_TOKEN_LENGTH = 10240;

/** What a token is checked against. */
export interface VerifyTarget {
  issuer: string;
  audience: readonly string[];
}

export interface VerifyOptions {
  keys: JwksCache;
  /** Milliseconds since the epoch. */
  now: number;
  /** Leeway for exp, nbf and iat (spec: unverified at AWS, default 0). */
  clockSkewSeconds: number;
}

/** A refusal: the public description (goes into www-authenticate) and the precise dev-log reason. */
export interface Refusal {
  ok: false;
  description: string;
  reason: string;
}

export type VerifyOutcome =
  | {
      ok: true;
      payload: Record<string, unknown>;
      /** Until when this verdict holds: the token's exp, capped by the key set's freshness. */
      validUntilMs: number;
    }
  | Refusal;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Verifies `token` in API Gateway's order (docs/api-gateway.md §3.2): decode, algorithm and signature against the
 * issuer's published key, then iss, aud/client_id, exp, nbf, iat. Never throws on untrusted input.
 */
export async function verifyToken(token: string, target: VerifyTarget, options: VerifyOptions): Promise<VerifyOutcome> {
  const decoded = decodeToken(token);
  if (!decoded.ok) return decoded;
  const { header, payload } = decoded;

  const alg = header.alg;
  if (typeof alg !== "string" || !(RSA_ALGORITHMS as readonly string[]).includes(alg)) {
    return refuse(
      "the token signing algorithm is not supported",
      `alg ${JSON.stringify(alg)} is not accepted; only ${RSA_ALGORITHMS.join(", ")}`,
    );
  }
  // No extension is understood here, and a verifier must reject what it does not understand (RFC 7515 §4.1.11).
  if (header.crit !== undefined) {
    return refuse("the token has an unsupported critical header", `crit ${JSON.stringify(header.crit)} is not supported`);
  }
  const kid = header.kid;
  if (typeof kid !== "string" || kid === "") {
    // docs/api-gateway.md §3.2: kid must match a key in the JWKS; a token without one is refused even when the set has one key.
    return refuse("the token is not signed by a known key", `the token header has no kid${issHint(payload, target)}`);
  }

  // Keys come only from the configured issuer's discovery document; jku, x5u, x5c and jwk headers are ignored.
  const lookup = await options.keys.keyFor(target.issuer, kid, alg as RsaAlgorithm);
  if (!lookup.ok) {
    const description =
      lookup.kind === "keys_unavailable" ? "the signing keys of the issuer are unavailable" : "the token is not signed by a known key";
    return refuse(description, `${lookup.problem}${issHint(payload, target)}`);
  }
  try {
    await compactVerify(token, lookup.key, { algorithms: [alg] });
  } catch (err) {
    if (err instanceof errors.JWSSignatureVerificationFailed) {
      return refuse("the token signature is invalid", `signature does not verify with key ${JSON.stringify(kid)} (${alg})`);
    }
    return refuse("the token signature is invalid", `signature check failed: ${(err as Error).message}`);
  }

  const claims = checkClaims(payload, target, options);
  if (!claims.ok) return claims;
  return { ok: true, payload, validUntilMs: Math.min(claims.validUntilMs, lookup.freshUntilMs) };
}

/** Splits and parses the token, refusing anything API Gateway could not decode. */
function decodeToken(
  token: string,
): { ok: true; header: Record<string, unknown>; payload: Record<string, unknown> } | Refusal {
  if (token.length > MAX_TOKEN_LENGTH) {
    return refuse("the token is malformed", `the token is ${token.length} characters; the limit is ${MAX_TOKEN_LENGTH}`);
  }
  const parts = token.split(".");
  if (parts.length !== 3) {
    return refuse("the token is malformed", `the token has ${parts.length} dot-separated parts, not 3`);
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  if (signaturePart === "") return refuse("the token is not signed", "the signature part is empty");
  for (const [name, part] of [
    ["header", headerPart],
    ["payload", payloadPart],
    ["signature", signaturePart],
  ] as const) {
    if (!BASE64URL.test(part) || part.length % 4 === 1) {
      return refuse("the token is malformed", `the ${name} is not base64url`);
    }
  }
  const header = parseSegment(headerPart, "header");
  if (!header.ok) return header;
  const payload = parseSegment(payloadPart, "payload");
  if (!payload.ok) return payload;
  return { ok: true, header: header.value, payload: payload.value };
}

function parseSegment(part: string, name: string): { ok: true; value: Record<string, unknown> } | Refusal {
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(Buffer.from(part, "base64url"));
  } catch {
    return refuse("the token is malformed", `the ${name} is not UTF-8`);
  }
  try {
    value = JSON.parse(text);
  } catch {
    return refuse("the token is malformed", `the ${name} is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refuse("the token is malformed", `the ${name} is not a JSON object`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== null) {
    return refuse("the token is malformed", `the ${name} repeats the key ${JSON.stringify(duplicate)}`);
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** iss, aud/client_id and the time claims; returns until when the token stays valid. */
function checkClaims(
  payload: Record<string, unknown>,
  target: VerifyTarget,
  options: VerifyOptions,
): { ok: true; validUntilMs: number } | Refusal {
  if (payload.iss !== target.issuer) {
    const got = payload.iss === undefined ? "the token has no iss" : `token iss ${JSON.stringify(payload.iss)}`;
    return refuse("the token does not have a valid issuer", `issuer mismatch: ${got}, expected ${JSON.stringify(target.issuer)}`);
  }

  const expected = target.audience.length === 1 ? `expected ${JSON.stringify(target.audience[0])}` : `expected one of ${target.audience.map((aud) => JSON.stringify(aud)).join(", ")}`;
  // client_id counts only when aud is absent (docs/api-gateway.md §3.2); a present but null aud is not absent, so it fails.
  if (Object.hasOwn(payload, "aud")) {
    const aud = payload.aud;
    const values = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : null;
    if (!values?.some((v) => typeof v === "string" && target.audience.includes(v))) {
      return refuse("the token does not have a valid audience", `audience mismatch: token aud ${JSON.stringify(aud)}, ${expected}`);
    }
  } else {
    const clientId = payload.client_id;
    if (typeof clientId !== "string" || !target.audience.includes(clientId)) {
      const got = clientId === undefined ? "the token has no aud and no client_id" : `token has no aud, client_id ${JSON.stringify(clientId)}`;
      return refuse("the token does not have a valid audience", `audience mismatch: ${got}, ${expected}`);
    }
  }

  const skewMs = options.clockSkewSeconds * 1000;
  const now = options.now;
  let validUntilMs = Number.POSITIVE_INFINITY;
  for (const name of ["exp", "nbf", "iat"] as const) {
    const value = payload[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return refuse(`the token has an invalid ${name} claim`, `${name} is ${JSON.stringify(value)}, not a number of seconds`);
    }
  }
  if (typeof payload.exp === "number") {
    validUntilMs = payload.exp * 1000 + skewMs;
    if (now >= validUntilMs) {
      return refuse("the token has expired", `token expired ${ago(now - payload.exp * 1000)} (exp ${iso(payload.exp)})`);
    }
  }
  if (typeof payload.nbf === "number" && now < payload.nbf * 1000 - skewMs) {
    return refuse("the token is not valid yet", `token not valid yet: nbf is ${ahead(payload.nbf * 1000 - now)} (${iso(payload.nbf)})`);
  }
  if (typeof payload.iat === "number" && now < payload.iat * 1000 - skewMs) {
    return refuse("the token was issued in the future", `token issued in the future: iat is ${ahead(payload.iat * 1000 - now)} (${iso(payload.iat)})`);
  }
  return { ok: true, validUntilMs };
}

/** A hint for the dev log when the key is unknown because the token comes from another issuer. */
function issHint(payload: Record<string, unknown>, target: VerifyTarget): string {
  if (payload.iss === target.issuer) return "";
  return `; note the token's iss is ${JSON.stringify(payload.iss)}, the authorizer expects ${JSON.stringify(target.issuer)}`;
}

/** A duration in the past in words: `3 min ago`, `just now`. */
function ago(ms: number): string {
  return ms < 1000 ? "just now" : `${inWords(ms)} ago`;
}

/** A duration in the future in words: `in 3 min`. */
function ahead(ms: number): string {
  return `in ${inWords(Math.max(ms, 1000))}`;
}

function inWords(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;
}

function iso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? "invalid date" : date.toISOString();
}

function refuse(description: string, reason: string): Refusal {
  return { ok: false, description, reason };
}
