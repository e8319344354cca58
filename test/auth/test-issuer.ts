/**
 * A real OIDC issuer on 127.0.0.1 for the auth tests: discovery + JWKS over node:http, keys made with
 * jose, request counters, and switches for the failure modes (hang, oversized JWKS, down).
 */
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { JwtAuthorizerManifest } from "../../src/manifest/manifest.js";
import type { AuthorizationRequest } from "../../src/auth/types.js";

export const AUDIENCE = "https://api.example.com";

export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** An RSA (or other) key pair made with jose, its public JWK carrying `kid` and `alg`. */
export async function makeKey(kid: string, alg = "RS256", options: { modulusLength?: number } = {}): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicJwk };
}

export interface TestIssuer {
  /** `http://127.0.0.1:<port>/`, with the trailing slash Auth0 issuers have. */
  issuer: string;
  requests: { discovery: number; jwks: number; other: number };
  /** Keys published in the JWKS (mutable: push or splice to rotate). */
  published: TestKey[];
  /** "hang" accepts connections and never answers. */
  mode: "serve" | "hang";
  /** When set, served instead of the real JWKS. */
  jwksBody: string | null;
  /** When set, served instead of the real discovery document. */
  discoveryBody: string | null;
  /** Stops listening and drops every connection (the issuer is then down). */
  close(): Promise<void>;
}

/** Starts an issuer serving `{issuer}.well-known/openid-configuration` and a JWKS at a non-guessable path. */
export async function startTestIssuer(keys: TestKey[] = []): Promise<TestIssuer> {
  const sockets = new Set<Socket>();
  const state: TestIssuer = {
    issuer: "",
    requests: { discovery: 0, jwks: 0, other: 0 },
    published: [...keys],
    mode: "serve",
    jwksBody: null,
    discoveryBody: null,
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    if (state.mode === "hang") return;
    if (req.url === "/.well-known/openid-configuration") {
      state.requests.discovery++;
      res.setHeader("content-type", "application/json");
      // jwks_uri deliberately not at /.well-known/jwks.json: the authorizer must follow discovery.
      res.end(state.discoveryBody ?? JSON.stringify({ issuer: state.issuer, jwks_uri: `${state.issuer}keys/published.json` }));
      return;
    }
    if (req.url === "/keys/published.json") {
      state.requests.jwks++;
      res.setHeader("content-type", "application/json");
      res.end(state.jwksBody ?? JSON.stringify({ keys: state.published.map((k) => k.publicJwk) }));
      return;
    }
    state.requests.other++;
    res.statusCode = 404;
    res.end("{}");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  state.issuer = `http://127.0.0.1:${address.port}/`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** A JWT signed by `key` (jose SignJWT) with the given claims and extra header fields. */
export function signToken(key: TestKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
}

/** Claims of a token the walkthrough's authorizer accepts: iss, aud, sub, iat, exp one hour ahead. */
export function validClaims(issuer: TestIssuer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: issuer.issuer, sub: "auth0|60357a6d98e3e5006a9d74a3", aud: AUDIENCE, iat: now - 10, exp: now + 3600, ...extra };
}

/** Signs raw header and payload JSON text as given (duplicate keys and all) with an RS256 key. */
export async function signRaw(key: TestKey, headerText: string, payloadText: string): Promise<string> {
  const input = `${b64(headerText)}.${b64(payloadText)}`;
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key.privateKey, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString("base64url")}`;
}

/** base64url of UTF-8 text. */
export function b64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/** The walkthrough's authorizer (Auth0-style) pointed at the test issuer. */
export function authorizerFor(issuer: TestIssuer, overrides: Partial<JwtAuthorizerManifest> = {}): JwtAuthorizerManifest {
  return {
    id: "Auth0",
    type: "JWT",
    issuer: issuer.issuer,
    audience: [AUDIENCE],
    identitySource: "$request.header.Authorization",
    ...overrides,
  };
}

/** What the gateway would hand the authorizer for `GET /private` carrying `token`. */
export function requestWith(
  authorizer: JwtAuthorizerManifest,
  token: string | null,
  scopes: string[] = [],
): AuthorizationRequest {
  return {
    authorizer,
    routeKey: "GET /private",
    scopes,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    query: {},
  };
}
