/**
 * Tokens API Gateway refuses, each against a real loopback issuer: every one must get 401 (403 for
 * scopes) with a description the client sees and a reason that tells the developer what was wrong.
 */
import assert from "node:assert/strict";
import { constants, createPrivateKey, sign as nodeSign } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { exportJWK, exportSPKI, importJWK, SignJWT } from "jose";
import { JwtAuthorizer } from "../../src/auth/jwt-authorizer.js";
import type { AuthorizationResult } from "../../src/auth/types.js";
import {
  AUDIENCE,
  authorizerFor,
  b64,
  makeKey,
  requestWith,
  signRaw,
  signToken,
  startTestIssuer,
  type TestIssuer,
  type TestKey,
  validClaims,
} from "./test-issuer.js";

let issuer: TestIssuer;
let attackerSite: TestIssuer;
let main: TestKey;
let second: TestKey;
let ecKey: TestKey;
let attacker: TestKey;
let authorizer: JwtAuthorizer;

before(async () => {
  [main, second, ecKey, attacker] = await Promise.all([
    makeKey("main-1"),
    makeKey("main-2"),
    makeKey("ec-1", "ES256"),
    makeKey("attacker-1"),
  ]);
  issuer = await startTestIssuer([main, second, ecKey]);
  attackerSite = await startTestIssuer([attacker]);
  authorizer = new JwtAuthorizer();
});

after(async () => {
  await authorizer.close();
  await issuer.close();
  await attackerSite.close();
});

async function verdict(token: string, scopes: string[] = []): Promise<AuthorizationResult> {
  return authorizer.authorize(requestWith(authorizerFor(issuer), token, scopes));
}

function assertDenied(result: AuthorizationResult, status: 401 | 403, description: RegExp, reason: RegExp): void {
  assert.equal(result.allow, false, `expected a denial, got ${JSON.stringify(result)}`);
  if (result.allow) return;
  assert.equal(result.status, status);
  assert.match(result.description, description);
  assert.match(result.reason, reason);
  // The description goes into a quoted www-authenticate parameter.
  assert.doesNotMatch(result.description, /["\r\n]/);
}

const sub = (token: string, part: 0 | 1 | 2, value: string) => {
  const parts = token.split(".");
  parts[part] = value;
  return parts.join(".");
};

describe("control", () => {
  test("a well-formed token from the issuer is accepted (so every refusal below is the token's fault)", async () => {
    const result = await verdict(await signToken(main, validClaims(issuer)));
    assert.equal(result.allow, true);
  });
});

describe("adversarial tokens are refused", () => {
  test("alg none", async () => {
    const token = `${b64(JSON.stringify({ alg: "none", kid: main.kid }))}.${b64(JSON.stringify(validClaims(issuer)))}.`;
    assertDenied(await verdict(token), 401, /not signed/, /signature part is empty/);
    const withJunkSig = `${token}c2ln`;
    assertDenied(await verdict(withJunkSig), 401, /algorithm is not supported/, /alg "none"/);
  });

  test("HS256 signed with the issuer's public key as the secret", async () => {
    const pem = await exportSPKI((await importJWK(main.publicJwk, "RS256")) as CryptoKey);
    const token = await new SignJWT(validClaims(issuer))
      .setProtectedHeader({ alg: "HS256", kid: main.kid })
      .sign(new TextEncoder().encode(pem));
    assertDenied(await verdict(token), 401, /algorithm is not supported/, /alg "HS256"/);
  });

  test("ES256 even though the issuer publishes that EC key", async () => {
    const token = await signToken(ecKey, validClaims(issuer));
    assertDenied(await verdict(token), 401, /algorithm is not supported/, /alg "ES256".*RS256, RS384, RS512/);
  });

  test("PS256 signed with the issuer's own RSA key", async () => {
    const jwk = await exportJWK(main.privateKey);
    const input = `${b64(JSON.stringify({ alg: "PS256", kid: main.kid }))}.${b64(JSON.stringify(validClaims(issuer)))}`;
    const sig = nodeSign("sha256", Buffer.from(input), {
      key: createPrivateKey({ key: jwk as never, format: "jwk" }),
      padding: constants.RSA_PKCS1_PSS_PADDING,
    });
    assertDenied(await verdict(`${input}.${sig.toString("base64url")}`), 401, /algorithm is not supported/, /alg "PS256"/);
  });

  test("unknown kid", async () => {
    const token = await signToken(attacker, validClaims(issuer));
    assertDenied(await verdict(token), 401, /not signed by a known key/, /no key with kid "attacker-1".*known: "main-1", "main-2"/);
  });

  test("missing kid while the issuer has several keys", async () => {
    const token = await new SignJWT(validClaims(issuer)).setProtectedHeader({ alg: "RS256" }).sign(main.privateKey);
    assertDenied(await verdict(token), 401, /not signed by a known key/, /no kid/);
  });

  test("kid of a real key but signed by another key", async () => {
    const token = await new SignJWT(validClaims(issuer))
      .setProtectedHeader({ alg: "RS256", kid: main.kid })
      .sign(attacker.privateKey);
    assertDenied(await verdict(token), 401, /signature is invalid/, /does not verify with key "main-1"/);
  });

  test("tampered payload (sub changed, signature kept)", async () => {
    const token = await signToken(main, validClaims(issuer, { sub: "user-a" }));
    const forged = sub(token, 1, b64(JSON.stringify(validClaims(issuer, { sub: "admin" }))));
    assertDenied(await verdict(forged), 401, /signature is invalid/, /does not verify/);
  });

  test("tampered header (kid switched to the other published key)", async () => {
    const token = await signToken(main, validClaims(issuer));
    const forged = sub(token, 0, b64(JSON.stringify({ alg: "RS256", kid: second.kid })));
    assertDenied(await verdict(forged), 401, /signature is invalid/, /key "main-2"/);
  });

  test("alg switched from RS256 to RS512 in the header", async () => {
    const token = await signToken(main, validClaims(issuer));
    const forged = sub(token, 0, b64(JSON.stringify({ alg: "RS512", kid: main.kid })));
    assertDenied(await verdict(forged), 401, /signature is invalid|not signed by a known key/, /RS512/);
  });

  test("stripped signature", async () => {
    const token = await signToken(main, validClaims(issuer));
    assertDenied(await verdict(sub(token, 2, "")), 401, /not signed/, /signature part is empty/);
  });

  test("truncated signature", async () => {
    const token = await signToken(main, validClaims(issuer));
    assertDenied(await verdict(token.slice(0, -8)), 401, /signature is invalid/, /signature/);
  });

  test("expired", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signToken(main, validClaims(issuer, { iat: now - 7200, exp: now - 60 }));
    assertDenied(await verdict(token), 401, /has expired/, /token expired \d+ (s|min|h) ago/);
  });

  test("nbf in the future", async () => {
    const token = await signToken(main, validClaims(issuer, { nbf: Math.floor(Date.now() / 1000) + 600 }));
    assertDenied(await verdict(token), 401, /not valid yet/, /token not valid yet: nbf is in \d+ (s|min)/);
  });

  test("iat in the future", async () => {
    const token = await signToken(main, validClaims(issuer, { iat: Math.floor(Date.now() / 1000) + 600 }));
    assertDenied(await verdict(token), 401, /issued in the future/, /token issued in the future: iat is in \d+ (s|min)/);
  });

  test("wrong iss", async () => {
    const token = await signToken(main, validClaims(issuer, { iss: "https://evil.example.com/" }));
    assertDenied(await verdict(token), 401, /valid issuer/, /issuer mismatch: token iss "https:\/\/evil.example.com\/", expected "http:\/\/127/);
  });

  test("missing iss", async () => {
    const claims = validClaims(issuer);
    delete claims.iss;
    assertDenied(await verdict(await signToken(main, claims)), 401, /valid issuer/, /issuer mismatch: the token has no iss/);
  });

  test("iss without the trailing slash the authorizer is configured with", async () => {
    const token = await signToken(main, validClaims(issuer, { iss: issuer.issuer.slice(0, -1) }));
    assertDenied(await verdict(token), 401, /valid issuer/, /issuer mismatch/);
  });

  test("iss differing only in case", async () => {
    const token = await signToken(main, validClaims(issuer, { iss: issuer.issuer.toUpperCase() }));
    assertDenied(await verdict(token), 401, /valid issuer/, /issuer mismatch/);
  });

  test("wrong aud", async () => {
    const token = await signToken(main, validClaims(issuer, { aud: "x" }));
    assertDenied(
      await verdict(token),
      401,
      /^the token does not have a valid audience$/,
      /audience mismatch: token aud "x", expected "https:\/\/api.example.com"/,
    );
  });

  test("aud array with no configured audience", async () => {
    const token = await signToken(main, validClaims(issuer, { aud: ["a", "b"] }));
    assertDenied(await verdict(token), 401, /valid audience/, /audience mismatch: token aud \["a","b"\]/);
  });

  test("client_id ignored when aud is present", async () => {
    const token = await signToken(main, validClaims(issuer, { aud: "other-api", client_id: AUDIENCE }));
    assertDenied(await verdict(token), 401, /valid audience/, /audience mismatch: token aud "other-api"/);
  });

  test("no aud and a client_id not in the audience list", async () => {
    const claims = validClaims(issuer, { client_id: "someone-else" });
    delete claims.aud;
    assertDenied(await verdict(await signToken(main, claims)), 401, /valid audience/, /client_id "someone-else"/);
  });

  test("neither aud nor client_id", async () => {
    const claims = validClaims(issuer);
    delete claims.aud;
    assertDenied(await verdict(await signToken(main, claims)), 401, /valid audience/, /no aud and no client_id/);
  });

  test("aud of the wrong type (number)", async () => {
    const token = await signToken(main, validClaims(issuer, { aud: 42, client_id: AUDIENCE }));
    assertDenied(await verdict(token), 401, /valid audience/, /audience mismatch: token aud 42/);
  });

  test("scopes missing on a route that needs one → 403", async () => {
    const token = await signToken(main, validClaims(issuer));
    assertDenied(await verdict(token, ["read:messages"]), 403, /scope/, /missing scope read:messages \(the token has no scope\)/);
  });

  test("scopes held are not the route's → 403", async () => {
    const token = await signToken(main, validClaims(issuer, { scope: "openid profile" }));
    assertDenied(await verdict(token, ["read:messages", "admin"]), 403, /scope/, /missing scope read:messages or admin \(the token has openid profile\)/);
  });

  test("scp wins over scope: the needed scope only in scope → 403", async () => {
    const token = await signToken(main, validClaims(issuer, { scp: ["openid"], scope: "read:messages" }));
    assertDenied(await verdict(token, ["read:messages"]), 403, /scope/, /missing scope read:messages \(the token has openid\)/);
  });

  test("malformed base64 in the payload", async () => {
    const token = await signToken(main, validClaims(issuer));
    const parts = token.split(".");
    assertDenied(await verdict(sub(token, 1, `${parts[1]!.slice(0, 10)}*${parts[1]!.slice(11)}`)), 401, /malformed/, /payload is not base64url/);
  });

  test("standard base64 padding and '+' instead of base64url", async () => {
    const token = await signToken(main, validClaims(issuer));
    const padded = sub(token, 0, `${Buffer.from(JSON.stringify({ alg: "RS256", kid: main.kid })).toString("base64")}==`);
    assertDenied(await verdict(padded), 401, /malformed/, /header is not base64url/);
  });

  test("non-JSON payload with a valid signature", async () => {
    const token = await signRaw(main, JSON.stringify({ alg: "RS256", kid: main.kid }), "not json {");
    assertDenied(await verdict(token), 401, /malformed/, /payload is not JSON/);
  });

  test("payload that is a JSON array", async () => {
    const token = await signRaw(main, JSON.stringify({ alg: "RS256", kid: main.kid }), "[1,2]");
    assertDenied(await verdict(token), 401, /malformed/, /payload is not a JSON object/);
  });

  test("payload that is not UTF-8", async () => {
    const header = b64(JSON.stringify({ alg: "RS256", kid: main.kid }));
    const token = `${header}.${Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64url")}.c2ln`;
    assertDenied(await verdict(token), 401, /malformed/, /payload is not UTF-8/);
  });

  test("two parts only", async () => {
    const token = await signToken(main, validClaims(issuer));
    assertDenied(await verdict(token.split(".").slice(0, 2).join(".")), 401, /malformed/, /2 dot-separated parts/);
  });

  test("five parts (a JWE)", async () => {
    assertDenied(await verdict("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d"), 401, /malformed/, /5 dot-separated parts/);
  });

  test("100 KB token", async () => {
    const token = await signToken(main, validClaims(issuer, { padding: "x".repeat(100 * 1024) }));
    assertDenied(await verdict(token), 401, /malformed/, /the limit is 10240/);
  });

  test("crit header", async () => {
    const token = await signRaw(
      main,
      JSON.stringify({ alg: "RS256", kid: main.kid, crit: ["exp-ext"], "exp-ext": true }),
      JSON.stringify(validClaims(issuer)),
    );
    assertDenied(await verdict(token), 401, /critical header/, /crit \["exp-ext"\]/);
  });

  test("jku header pointing to the attacker's JWKS is ignored", async () => {
    const token = await signToken(attacker, validClaims(issuer), { jku: `${attackerSite.issuer}keys/published.json` });
    assertDenied(await verdict(token), 401, /not signed by a known key/, /kid "attacker-1"/);
    assert.deepEqual(attackerSite.requests, { discovery: 0, jwks: 0, other: 0 });
  });

  test("x5u header pointing elsewhere is ignored", async () => {
    const token = await signToken(attacker, validClaims(issuer), { x5u: `${attackerSite.issuer}cert.pem` });
    assertDenied(await verdict(token), 401, /not signed by a known key/, /kid "attacker-1"/);
    assert.deepEqual(attackerSite.requests, { discovery: 0, jwks: 0, other: 0 });
  });

  test("embedded jwk header carrying the attacker's key is ignored", async () => {
    const token = await signToken(attacker, validClaims(issuer), { kid: main.kid, jwk: attacker.publicJwk });
    assertDenied(await verdict(token), 401, /signature is invalid/, /key "main-1"/);
  });

  test("string exp", async () => {
    const token = await signToken(main, validClaims(issuer, { exp: String(Math.floor(Date.now() / 1000) + 3600) }));
    assertDenied(await verdict(token), 401, /invalid exp claim/, /exp is "\d+", not a number/);
  });

  test("duplicate claims: a second exp hiding an expired first one", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { exp: _exp, ...rest } = validClaims(issuer);
    const payload = `${JSON.stringify(rest).slice(0, -1)},"exp":${now - 60},"exp":${now + 3600}}`;
    const token = await signRaw(main, JSON.stringify({ alg: "RS256", kid: main.kid }), payload);
    assertDenied(await verdict(token), 401, /malformed/, /payload repeats the key "exp"/);
  });

  test("duplicate claims spelled with a unicode escape", async () => {
    const payload = `${JSON.stringify(validClaims(issuer)).slice(0, -1)},"s\\u0075b":"admin"}`;
    const token = await signRaw(main, JSON.stringify({ alg: "RS256", kid: main.kid }), payload);
    assertDenied(await verdict(token), 401, /malformed/, /repeats the key "sub"/);
  });

  test("duplicate alg in the header", async () => {
    const token = await signRaw(main, `{"alg":"none","kid":"${main.kid}","alg":"RS256"}`, JSON.stringify(validClaims(issuer)));
    assertDenied(await verdict(token), 401, /malformed/, /header repeats the key "alg"/);
  });

  test("token sent without any Authorization header", async () => {
    const result = await authorizer.authorize(requestWith(authorizerFor(issuer), null));
    assertDenied(result, 401, /missing/, /no token: the request has no Authorization header/);
  });

  test("an empty Bearer value", async () => {
    const request = requestWith(authorizerFor(issuer), null);
    request.headers.authorization = "Bearer   ";
    assertDenied(await authorizer.authorize(request), 401, /missing/, /no token/);
  });

  test("a token for a different issuer's key names the iss mismatch in the reason", async () => {
    const token = await signToken(attacker, validClaims(attackerSite));
    assertDenied(await verdict(token), 401, /not signed by a known key/, /token's iss is "http:\/\/127.*authorizer expects/);
  });
});
