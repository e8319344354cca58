/** The verification cache: repeats cost a lookup, yet expiry, configuration and scopes still apply. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { JwtAuthorizer } from "../../src/auth/jwt-authorizer.js";
import { VerificationCache } from "../../src/auth/verification-cache.js";
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

let issuer: TestIssuer;
let key: TestKey;

before(async () => {
  key = await makeKey("k1");
  issuer = await startTestIssuer([key]);
});

after(async () => {
  await issuer.close();
});

describe("verified tokens are remembered", () => {
  test("a repeated token is verified once", async () => {
    const authorizer = new JwtAuthorizer();
    const token = await signToken(key, validClaims(issuer));
    const manifest = authorizerFor(issuer);
    for (let i = 0; i < 5; i++) assert.equal((await authorizer.authorize(requestWith(manifest, token))).allow, true);
    assert.equal(authorizer.stats.verifications, 1);
    assert.equal(authorizer.stats.cacheHits, 4);
  });

  test("concurrent requests with the same new token share one verification", async () => {
    const authorizer = new JwtAuthorizer();
    const token = await signToken(key, validClaims(issuer, { jti: "parallel" }));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => authorizer.authorize(requestWith(authorizerFor(issuer), token))),
    );
    assert.ok(results.every((r) => r.allow));
    assert.equal(authorizer.stats.verifications, 1);
  });

  test("a cached token is refused once its exp passes", async () => {
    const clock = { now: Date.now() };
    const authorizer = new JwtAuthorizer({ now: () => clock.now });
    const exp = Math.floor(clock.now / 1000) + 60;
    const token = await signToken(key, validClaims(issuer, { exp }));
    const manifest = authorizerFor(issuer);
    assert.equal((await authorizer.authorize(requestWith(manifest, token))).allow, true);
    clock.now = exp * 1000 - 1;
    assert.equal((await authorizer.authorize(requestWith(manifest, token))).allow, true);
    clock.now = exp * 1000;
    const result = await authorizer.authorize(requestWith(manifest, token));
    assert.equal(result.allow, false);
    assert.equal(!result.allow && result.description, "the token has expired");
  });

  test("a token cached under one audience is not accepted by an authorizer with another", async () => {
    const authorizer = new JwtAuthorizer();
    const token = await signToken(key, validClaims(issuer));
    assert.equal((await authorizer.authorize(requestWith(authorizerFor(issuer), token))).allow, true);
    const other = authorizerFor(issuer, { id: "Other", audience: ["https://other.example.com"] });
    const result = await authorizer.authorize(requestWith(other, token));
    assert.equal(result.allow, false);
    assert.match(!result.allow ? result.reason : "", /audience mismatch/);
  });

  test("route scopes are still applied to a cached token", async () => {
    const authorizer = new JwtAuthorizer();
    const token = await signToken(key, validClaims(issuer, { scope: "read:messages" }));
    const manifest = authorizerFor(issuer);
    const open = await authorizer.authorize(requestWith(manifest, token));
    assert.equal(open.allow && open.scopes, null);
    const scoped = await authorizer.authorize(requestWith(manifest, token, ["read:messages"]));
    assert.deepEqual(scoped.allow && scoped.scopes, ["read:messages"]);
    const forbidden = await authorizer.authorize(requestWith(manifest, token, ["admin"]));
    assert.equal(!forbidden.allow && forbidden.status, 403);
    assert.equal(authorizer.stats.verifications, 1);
  });

  test("the cache can be turned off", async () => {
    const authorizer = new JwtAuthorizer({ verificationCacheSize: 0 });
    const token = await signToken(key, validClaims(issuer));
    for (let i = 0; i < 3; i++) await authorizer.authorize(requestWith(authorizerFor(issuer), token));
    assert.equal(authorizer.stats.verifications, 3);
  });
});

describe("VerificationCache", () => {
  const entry = (validUntilMs: number) => ({ claims: {}, scopes: [], validUntilMs });

  test("evicts the least recently used entry when full", () => {
    const cache = new VerificationCache(2);
    cache.set("cfg", "iss", "a", entry(1000));
    cache.set("cfg", "iss", "b", entry(1000));
    assert.ok(cache.get("cfg", "a", 0));
    cache.set("cfg", "iss", "c", entry(1000));
    assert.ok(cache.get("cfg", "a", 0));
    assert.equal(cache.get("cfg", "b", 0), undefined);
    assert.ok(cache.get("cfg", "c", 0));
    assert.equal(cache.size, 2);
  });

  test("drops an issuer's entries when its keys change, leaving other issuers alone", () => {
    const cache = new VerificationCache();
    cache.set("cfg1", "iss1", "a", entry(1000));
    cache.set("cfg2", "iss2", "a", entry(1000));
    cache.dropIssuer("iss1");
    assert.equal(cache.get("cfg1", "a", 0), undefined);
    assert.ok(cache.get("cfg2", "a", 0));
  });

  test("a verification that began before the issuer's keys changed is not stored", () => {
    const cache = new VerificationCache();
    const generation = cache.generationOf("iss1");
    cache.dropIssuer("iss1");
    cache.set("cfg1", "iss1", "a", entry(1000), generation);
    assert.equal(cache.get("cfg1", "a", 0), undefined);
    cache.set("cfg1", "iss1", "a", entry(1000), cache.generationOf("iss1"));
    assert.ok(cache.get("cfg1", "a", 0));
  });

  test("an entry is not served at or after its end", () => {
    const cache = new VerificationCache();
    cache.set("cfg", "iss", "a", entry(1000));
    assert.ok(cache.get("cfg", "a", 999));
    assert.equal(cache.get("cfg", "a", 1000), undefined);
    assert.equal(cache.size, 0);
  });
});
