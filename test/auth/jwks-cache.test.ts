/**
 * Key fetching as API Gateway does it, against a real loopback issuer: discovery → jwks_uri, rotation,
 * refetch cooldown, issuer down or hanging, size limit, http only on loopback, issuer overrides.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { JwksCache } from "../../src/auth/jwks-cache.js";
import { JwtAuthorizer, type JwtAuthorizerOptions } from "../../src/auth/jwt-authorizer.js";
import type { AuthorizationResult } from "../../src/auth/types.js";
import {
  authorizerFor,
  makeKey,
  requestWith,
  signToken,
  startTestIssuer,
  type TestIssuer,
  type TestKey,
  validClaims,
} from "./test-issuer.js";

let k1: TestKey;
let k2: TestKey;
let forger: TestKey;
const TEN_HOURS = 10 * 3600;

before(async () => {
  [k1, k2, forger] = await Promise.all([makeKey("k1"), makeKey("k2"), makeKey("forged")]);
});

/** An authorizer on a clock the test moves by hand. */
function clockedAuthorizer(options: JwtAuthorizerOptions = {}) {
  const clock = { now: Date.now() };
  const authorizer = new JwtAuthorizer({ now: () => clock.now, ...options });
  return { clock, authorizer };
}

/** A token that stays valid for ten hours, so the test clock can move past the key cache's hour. */
function longToken(issuer: TestIssuer, key: TestKey, extra: Record<string, unknown> = {}): Promise<string> {
  return signToken(key, validClaims(issuer, { exp: Math.floor(Date.now() / 1000) + TEN_HOURS, ...extra }));
}

function assertAllowed(result: AuthorizationResult): void {
  assert.equal(result.allow, true, `expected allow, got ${JSON.stringify(result)}`);
}

function assert401(result: AuthorizationResult, reason: RegExp): void {
  assert.equal(result.allow, false, `expected a denial, got ${JSON.stringify(result)}`);
  if (result.allow) return;
  assert.equal(result.status, 401);
  assert.match(result.reason, reason);
}

describe("discovery", () => {
  test("keys come from the discovery document's jwks_uri and are fetched once for many tokens", async () => {
    const issuer = await startTestIssuer([k1]);
    const { authorizer } = clockedAuthorizer();
    try {
      for (let i = 0; i < 5; i++) {
        assertAllowed(await authorizer.authorize(requestWith(authorizerFor(issuer), await longToken(issuer, k1, { n: i }))));
      }
      assert.deepEqual(issuer.requests, { discovery: 1, jwks: 1, other: 0 });
    } finally {
      await issuer.close();
    }
  });

  test("a discovery document without jwks_uri fails closed and no path is guessed", async () => {
    const issuer = await startTestIssuer([k1]);
    issuer.discoveryBody = JSON.stringify({ issuer: issuer.issuer });
    const { authorizer } = clockedAuthorizer();
    try {
      const result = await authorizer.authorize(requestWith(authorizerFor(issuer), await longToken(issuer, k1)));
      assert401(result, /has no jwks_uri/);
      assert.equal(!result.allow && result.description, "the signing keys of the issuer are unavailable");
      assert.equal(issuer.requests.jwks, 0);
      assert.equal(issuer.requests.other, 0);
    } finally {
      await issuer.close();
    }
  });

  test("a jwks_uri over plain http to a non-loopback host is refused without fetching it", async () => {
    const issuer = await startTestIssuer([k1]);
    issuer.discoveryBody = JSON.stringify({ issuer: issuer.issuer, jwks_uri: "http://keys.example.com/jwks.json" });
    const seen: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    const { authorizer } = clockedAuthorizer({ fetch: countingFetch });
    try {
      assert401(await authorizer.authorize(requestWith(authorizerFor(issuer), await longToken(issuer, k1))), /http is allowed only for loopback/);
      assert.deepEqual(seen, [`${issuer.issuer}.well-known/openid-configuration`]);
    } finally {
      await issuer.close();
    }
  });

  test("a plain-http issuer that is not loopback is refused before any request", async () => {
    let calls = 0;
    const { authorizer } = clockedAuthorizer({
      fetch: async () => {
        calls++;
        return new Response("{}");
      },
    });
    const issuer = { issuer: "http://idp.example.com/" } as TestIssuer;
    const token = await longToken(issuer, k1);
    assert401(await authorizer.authorize(requestWith(authorizerFor(issuer), token)), /http is allowed only for loopback/);
    assert.equal(calls, 0);
  });

  test("an issuer override fetches keys locally while iss is still checked against the configured issuer", async () => {
    const local = await startTestIssuer([k1]);
    const configured = "https://myorg.us.auth0.com/";
    const { authorizer } = clockedAuthorizer({
      issuerOverrides: (iss) => (iss === configured ? local.issuer : undefined),
    });
    const manifest = { ...authorizerFor(local), issuer: configured };
    try {
      const impersonated = await longToken(local, k1, { iss: configured });
      const result = await authorizer.authorize(requestWith(manifest, impersonated));
      assertAllowed(result);
      assert.equal(result.allow && result.claims.iss, configured);
      const localIss = await longToken(local, k1);
      assert401(await authorizer.authorize(requestWith(manifest, localIss)), /issuer mismatch: token iss "http:\/\/127\.0\.0\.1:\d+\/", expected "https:\/\/myorg/);
      assert.equal(local.requests.discovery, 1);
    } finally {
      await local.close();
    }
  });
});

describe("rotation and refetch", () => {
  test("a token signed by a new key is accepted once the issuer publishes it (after the cooldown)", async () => {
    const issuer = await startTestIssuer([k1]);
    const { clock, authorizer } = clockedAuthorizer();
    const manifest = authorizerFor(issuer);
    try {
      assertAllowed(await authorizer.authorize(requestWith(manifest, await longToken(issuer, k1))));
      const rotated = await longToken(issuer, k2);
      assert401(await authorizer.authorize(requestWith(manifest, rotated)), /no key with kid "k2"/);
      assert.equal(issuer.requests.jwks, 2, "the unknown kid caused one refetch");
      issuer.published.push(k2);
      assert401(await authorizer.authorize(requestWith(manifest, rotated)), /no key with kid "k2"/);
      assert.equal(issuer.requests.jwks, 2, "not again within the cooldown");
      clock.now += 31_000;
      assertAllowed(await authorizer.authorize(requestWith(manifest, rotated)));
      assert.equal(issuer.requests.jwks, 3);
    } finally {
      await issuer.close();
    }
  });

  test("a key published just after the first fetch is picked up by the first token that names it", async () => {
    const issuer = await startTestIssuer([k1]);
    const { authorizer } = clockedAuthorizer();
    const manifest = authorizerFor(issuer);
    try {
      assertAllowed(await authorizer.authorize(requestWith(manifest, await longToken(issuer, k1))));
      issuer.published.push(k2);
      assertAllowed(await authorizer.authorize(requestWith(manifest, await longToken(issuer, k2))));
      assert.equal(issuer.requests.jwks, 2);
    } finally {
      await issuer.close();
    }
  });

  test("a key removed by the issuer stops verifying, even for tokens verified before", async () => {
    const issuer = await startTestIssuer([k1]);
    const { clock, authorizer } = clockedAuthorizer();
    const manifest = authorizerFor(issuer);
    try {
      const old = await longToken(issuer, k1);
      assertAllowed(await authorizer.authorize(requestWith(manifest, old)));
      issuer.published.splice(0, 1, k2);
      clock.now += 31_000;
      // The new kid triggers a refetch; the changed key set drops what was verified with the old one.
      assertAllowed(await authorizer.authorize(requestWith(manifest, await longToken(issuer, k2))));
      assert401(await authorizer.authorize(requestWith(manifest, old)), /no key with kid "k1"/);
    } finally {
      await issuer.close();
    }
  });

  test("a burst of 100 tokens with forged kids causes at most a few JWKS fetches", async () => {
    const issuer = await startTestIssuer([k1]);
    const { clock, authorizer } = clockedAuthorizer();
    const manifest = authorizerFor(issuer);
    try {
      const forged = await Promise.all(
        Array.from({ length: 100 }, (_, i) => signToken(forger, validClaims(issuer), { kid: `forged-${i}` })),
      );
      const results = await Promise.all(forged.map((t) => authorizer.authorize(requestWith(manifest, t))));
      for (const result of results) assert401(result, /no key with kid "forged-\d+"/);
      assert.ok(issuer.requests.jwks <= 2, `${issuer.requests.jwks} JWKS fetches for a concurrent burst`);
      const afterBurst = issuer.requests.jwks;
      for (const token of forged) assert401(await authorizer.authorize(requestWith(manifest, token)), /no key/);
      assert.equal(issuer.requests.jwks, afterBurst, "sequential forged kids within the cooldown fetch nothing");
      clock.now += 31_000;
      for (const token of forged.slice(0, 20)) await authorizer.authorize(requestWith(manifest, token));
      assert.equal(issuer.requests.jwks, afterBurst + 1, "one refetch per cooldown");
    } finally {
      await issuer.close();
    }
  });
});

describe("issuer failures fail closed, never hang", () => {
  test("issuer down: cached-key tokens pass, unknown kids get 401, even past the cache hour", async () => {
    const issuer = await startTestIssuer([k1]);
    const { clock, authorizer } = clockedAuthorizer();
    const manifest = authorizerFor(issuer);
    try {
      assertAllowed(await authorizer.authorize(requestWith(manifest, await longToken(issuer, k1, { n: 0 }))));
    } finally {
      await issuer.close();
    }

    assertAllowed(await authorizer.authorize(requestWith(manifest, await longToken(issuer, k1, { n: 1 }))));
    clock.now += 31_000;
    assert401(await authorizer.authorize(requestWith(manifest, await longToken(issuer, k2))), /no key with kid "k2".*last refresh failed/);

    clock.now += 2 * 3600_000;
    assertAllowed(await authorizer.authorize(requestWith(manifest, await longToken(issuer, k1, { n: 2 }))));
    assert.ok(authorizer.stats.keyFetches >= 3, "the stale key set was due for a refresh and one was tried");
  });

  test("issuer down from the start: 401 quickly, with the connection error in the reason", async () => {
    const issuer = await startTestIssuer([k1]);
    await issuer.close();
    const { authorizer } = clockedAuthorizer();
    const result = await authorizer.authorize(requestWith(authorizerFor(issuer), await longToken(issuer, k1)));
    assert401(result, /discovery document .* could not be fetched/);
  });

  test("issuer hanging: concurrent requests all get 401 after the 1500 ms timeout, not later", async () => {
    const issuer = await startTestIssuer([k1]);
    issuer.mode = "hang";
    const { authorizer } = clockedAuthorizer();
    try {
      const token = await longToken(issuer, k1);
      // The reason names the bound that cut the wait: AWS's 1500 ms by default, whatever is injected otherwise.
      const results = await Promise.all(
        Array.from({ length: 5 }, () => authorizer.authorize(requestWith(authorizerFor(issuer), token))),
      );
      for (const result of results) assert401(result, /no answer within 1500 ms/);
      const { authorizer: quick } = clockedAuthorizer({ timeoutMs: 50 });
      assert401(await quick.authorize(requestWith(authorizerFor(issuer), token)), /no answer within 50 ms/);
    } finally {
      await issuer.close();
    }
  });

  test("a JWKS over 150000 bytes fails closed", async () => {
    const issuer = await startTestIssuer([k1]);
    issuer.jwksBody = JSON.stringify({ keys: [k1.publicJwk], padding: "x".repeat(150_000) });
    const { authorizer } = clockedAuthorizer();
    try {
      assert401(await authorizer.authorize(requestWith(authorizerFor(issuer), await longToken(issuer, k1))), /150\d{3} bytes; the limit is 150000/);
    } finally {
      await issuer.close();
    }
  });

  test("a JWKS streamed without content-length is cut off just past 150000 bytes", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(10_000).fill(0x20);
    const fakeIssuer = "https://idp.example.com/";
    const keys = new JwksCache({
      fetch: async (input) => {
        if (String(input).endsWith("openid-configuration")) {
          return new Response(JSON.stringify({ jwks_uri: "https://idp.example.com/jwks" }));
        }
        const endless = new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
        return new Response(endless);
      },
    });
    const lookup = await keys.keyFor(fakeIssuer, "k1", "RS256");
    assert.equal(lookup.ok, false);
    assert.match(!lookup.ok ? lookup.problem : "", /over 150000 bytes/);
    assert.ok(pulled < 200_000, `read ${pulled} bytes`);
  });

  test("a JWKS that is not JSON, or has no keys array, fails closed", async () => {
    const issuer = await startTestIssuer([k1]);
    const { clock, authorizer } = clockedAuthorizer();
    try {
      issuer.jwksBody = "<html>oops</html>";
      assert401(await authorizer.authorize(requestWith(authorizerFor(issuer), await longToken(issuer, k1))), /JWKS .* is not JSON/);
      issuer.jwksBody = JSON.stringify({ notkeys: [] });
      clock.now += 2000;
      assert401(await authorizer.authorize(requestWith(authorizerFor(issuer), await longToken(issuer, k1))), /no "keys" array/);
      issuer.jwksBody = null;
      clock.now += 2000;
      assertAllowed(await authorizer.authorize(requestWith(authorizerFor(issuer), await longToken(issuer, k1))));
    } finally {
      await issuer.close();
    }
  });
});
