/**
 * The walkthrough's private route and what a handler reads from `requestContext.authorizer.jwt`,
 * against a real loopback issuer.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { JwtAuthorizer } from "../../src/auth/jwt-authorizer.js";
import type { AuthorizationResult } from "../../src/auth/types.js";
import {
  AUDIENCE,
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
let authorizer: JwtAuthorizer;

before(async () => {
  key = await makeKey("auth0-key-1");
  issuer = await startTestIssuer([key]);
  authorizer = new JwtAuthorizer();
});

after(async () => {
  await authorizer.close();
  await issuer.close();
});

/** The event part a handler reads, built from a verdict the way the gateway does. */
function eventFor(result: AuthorizationResult) {
  if (!result.allow) throw new Error(`denied: ${result.reason}`);
  return { requestContext: { authorizer: { jwt: { claims: result.claims, scopes: result.scopes } } } };
}

describe("the walkthrough's private route", () => {
  test("answers Hello user! to a valid token, and Hello <sub>! after the tutorial's edit", async () => {
    const privateMain = async () => ({ statusCode: 200, body: "Hello user!" });
    const editedPrivateMain = async (event: ReturnType<typeof eventFor>) => ({
      statusCode: 200,
      body: `Hello ${event.requestContext.authorizer.jwt.claims.sub}!`,
    });
    const token = await signToken(key, validClaims(issuer));
    const result = await authorizer.authorize(requestWith(authorizerFor(issuer), token));
    assert.equal((await privateMain()).body, "Hello user!");
    assert.equal((await editedPrivateMain(eventFor(result))).body, "Hello auth0|60357a6d98e3e5006a9d74a3!");
  });

  test("an Auth0 ID token (aud = client id, RS256) is accepted with every claim as a string", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signToken(key, {
      nickname: "user",
      name: "user@example.com",
      picture: "https://s.gravatar.com/avatar/x.png",
      updated_at: "2021-02-23T21:14:38.535Z",
      email_verified: false,
      iss: issuer.issuer,
      sub: "auth0|60357a6d98e3e5006a9d74a3",
      aud: AUDIENCE,
      iat: now,
      exp: now + 36000,
      nonce: null,
    });
    const result = await authorizer.authorize(requestWith(authorizerFor(issuer), token));
    assert.deepEqual(eventFor(result).requestContext.authorizer.jwt, {
      claims: {
        nickname: "user",
        name: "user@example.com",
        picture: "https://s.gravatar.com/avatar/x.png",
        updated_at: "2021-02-23T21:14:38.535Z",
        email_verified: "false",
        iss: issuer.issuer,
        sub: "auth0|60357a6d98e3e5006a9d74a3",
        aud: AUDIENCE,
        iat: String(now),
        exp: String(now + 36000),
      },
      scopes: null,
    });
  });
});

describe("claims and scopes in the event", () => {
  test("Cognito-style claims arrive stringified as API Gateway delivers them", async () => {
    const token = await signToken(key, {
      ...validClaims(issuer, { exp: 1_900_000_000, iat: 1_675_808_143 }),
      auth_time: 1675808143,
      email_verified: true,
      "cognito:groups": ["admin", "poweruser"],
      address: { country: "JP" },
      middle_name: null,
    });
    const result = await authorizer.authorize(requestWith(authorizerFor(issuer), token));
    const { claims } = eventFor(result).requestContext.authorizer.jwt;
    assert.equal(claims.auth_time, "1675808143");
    assert.equal(claims.email_verified, "true");
    assert.equal(claims["cognito:groups"], "[admin poweruser]");
    assert.equal(claims.address, '{"country":"JP"}');
    assert.equal(claims.exp, "1900000000");
    assert.equal(claims.iat, "1675808143");
    assert.equal("middle_name" in claims, false);
  });

  test("scopes are null on a route without authorization scopes, even when the token has scope", async () => {
    const token = await signToken(key, validClaims(issuer, { scope: "openid read:messages" }));
    const result = await authorizer.authorize(requestWith(authorizerFor(issuer), token, []));
    const jwt = eventFor(result).requestContext.authorizer.jwt;
    assert.equal(jwt.scopes, null);
    assert.equal(jwt.claims.scope, "openid read:messages");
  });

  test("scopes are the token's full list on a route with scopes, not the intersection", async () => {
    const token = await signToken(key, validClaims(issuer, { scope: "openid read:messages write:messages" }));
    const result = await authorizer.authorize(requestWith(authorizerFor(issuer), token, ["read:messages"]));
    assert.deepEqual(eventFor(result).requestContext.authorizer.jwt.scopes, ["openid", "read:messages", "write:messages"]);
  });

  test("an scp array wins over scope and is the list handed on", async () => {
    const token = await signToken(key, validClaims(issuer, { scp: ["api.read", "api.write"], scope: "openid" }));
    const result = await authorizer.authorize(requestWith(authorizerFor(issuer), token, ["api.write"]));
    const jwt = eventFor(result).requestContext.authorizer.jwt;
    assert.deepEqual(jwt.scopes, ["api.read", "api.write"]);
    assert.equal(jwt.claims.scp, "[api.read api.write]");
  });

  test("client_id stands in for aud when aud is absent (Cognito access token)", async () => {
    const claims = validClaims(issuer, { client_id: AUDIENCE, token_use: "access" });
    delete claims.aud;
    const result = await authorizer.authorize(requestWith(authorizerFor(issuer), await signToken(key, claims)));
    assert.equal(eventFor(result).requestContext.authorizer.jwt.claims.client_id, AUDIENCE);
  });

  test("any element of an aud array may match any configured audience", async () => {
    const manifest = authorizerFor(issuer, { audience: ["first", AUDIENCE] });
    const token = await signToken(key, validClaims(issuer, { aud: ["https://myorg.us.auth0.com/userinfo", AUDIENCE] }));
    const result = await authorizer.authorize(requestWith(manifest, token));
    assert.equal(eventFor(result).requestContext.authorizer.jwt.claims.aud, `[https://myorg.us.auth0.com/userinfo ${AUDIENCE}]`);
  });
});

describe("identity sources", () => {
  test("the Bearer prefix is optional and matched in any case", async () => {
    const token = await signToken(key, validClaims(issuer));
    for (const value of [token, `Bearer ${token}`, `bearer ${token}`, `BEARER  ${token}`]) {
      const request = requestWith(authorizerFor(issuer), null);
      request.headers.authorization = value;
      assert.equal((await authorizer.authorize(request)).allow, true, value.slice(0, 12));
    }
  });

  test("a custom header source is matched case-insensitively; the Authorization header is then ignored", async () => {
    const token = await signToken(key, validClaims(issuer));
    const manifest = authorizerFor(issuer, { identitySource: "$request.header.X-Api-Token" });
    const request = requestWith(manifest, null);
    request.headers["x-api-token"] = token;
    assert.equal((await authorizer.authorize(request)).allow, true);
    const wrongPlace = await authorizer.authorize(requestWith(manifest, token));
    assert.equal(wrongPlace.allow, false);
    assert.match(!wrongPlace.allow ? wrongPlace.reason : "", /no token: the request has no X-Api-Token header/);
  });

  test("a query string source reads the named parameter", async () => {
    const token = await signToken(key, validClaims(issuer));
    const manifest = authorizerFor(issuer, { identitySource: "$request.querystring.access_token" });
    const request = requestWith(manifest, null);
    request.query.access_token = token;
    assert.equal((await authorizer.authorize(request)).allow, true);
    request.query = { Access_Token: token };
    assert.equal((await authorizer.authorize(request)).allow, false);
  });

  test("a misconfigured identity source refuses every request", async () => {
    const token = await signToken(key, validClaims(issuer));
    const manifest = authorizerFor(issuer, { identitySource: "Authorization" });
    const result = await authorizer.authorize(requestWith(manifest, token));
    assert.equal(result.allow, false);
    assert.equal(!result.allow && result.status, 401);
    assert.match(!result.allow ? result.reason : "", /identitySource "Authorization"/);
  });
});

describe("clock skew", () => {
  test("is zero by default and configurable", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signToken(key, validClaims(issuer, { exp: now - 30, iat: now - 3600 }));
    const strict = await authorizer.authorize(requestWith(authorizerFor(issuer), token));
    assert.equal(strict.allow, false);
    assert.equal(!strict.allow && strict.description, "the token has expired");
    const lenient = new JwtAuthorizer({ clockSkewSeconds: 120 });
    try {
      assert.equal((await lenient.authorize(requestWith(authorizerFor(issuer), token))).allow, true);
      const early = await signToken(key, validClaims(issuer, { nbf: now + 60 }));
      assert.equal((await lenient.authorize(requestWith(authorizerFor(issuer), early))).allow, true);
    } finally {
      await lenient.close();
    }
  });
});
