import { createHash, generateKeyPair } from "node:crypto";
import { selfSignedCertificate } from "./self-signed-certificate.js";

/** An RS256 private key as stored and as handed to oidc-provider (JWK with kid/alg/use). */
export interface SigningJwk {
  kty: "RSA";
  kid: string;
  alg: "RS256";
  use: "sig";
  n: string;
  e: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
  /** Self-signed certificate chain (base64 DER), published in the JWKS. */
  x5c?: string[];
}

/** Generates a 2048-bit RS256 key with a self-signed certificate; the kid is a prefix of its JWK thumbprint. */
export async function generateSigningJwk(commonName = "gatehouse"): Promise<SigningJwk> {
  const { privateKey } = await new Promise<{ privateKey: import("node:crypto").KeyObject }>((resolve, reject) =>
    generateKeyPair("rsa", { modulusLength: 2048 }, (err, _publicKey, key) => (err ? reject(err) : resolve({ privateKey: key }))),
  );
  const jwk = privateKey.export({ format: "jwk" }) as Omit<SigningJwk, "kid" | "alg" | "use">;
  // RFC 7638 thumbprint members in lexicographic order.
  const thumbprint = createHash("sha256").update(JSON.stringify({ e: jwk.e, kty: "RSA", n: jwk.n })).digest("base64url");
  const certificate = selfSignedCertificate(privateKey, commonName).toString("base64");
  return { ...jwk, kty: "RSA", kid: thumbprint.slice(0, 32), alg: "RS256", use: "sig", x5c: [certificate] };
}
