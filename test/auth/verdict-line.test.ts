/** The dev log line and the www-authenticate value built from a verdict. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { verdictLine, wwwAuthenticateValue } from "../../src/auth/verdict-line.js";

describe("verdictLine", () => {
  test("a refusal shows the route, the status and the precise reason on one line", () => {
    const line = verdictLine("GET /private", {
      allow: false,
      status: 401,
      description: "the token does not have a valid audience",
      reason: 'aud mismatch: got "x",\nexpected one of ["y"]',
    });
    assert.equal(line, 'GET /private 401 aud mismatch: got "x", expected one of ["y"]');
  });

  test("an allowed request shows 200 and the token's sub", () => {
    const line = verdictLine("GET /private", { allow: true, claims: { sub: "auth0|60357a6d98e3e5006a9d74a3" }, scopes: null });
    assert.equal(line, 'GET /private 200 authorized sub "auth0|60357a6d98e3e5006a9d74a3"');
  });
});

describe("wwwAuthenticateValue", () => {
  test("matches API Gateway's header for the documented audience failure", () => {
    assert.equal(
      wwwAuthenticateValue("the token does not have a valid audience"),
      'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
    );
  });

  test("a quote or line break cannot escape the quoted description", () => {
    const value = wwwAuthenticateValue('bad "x"\r\nSet-Cookie: a=b');
    assert.doesNotMatch(value, /[\r\n]/);
    assert.equal(value.match(/"/g)?.length, 6);
  });
});
