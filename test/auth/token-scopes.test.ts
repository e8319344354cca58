/** Which scopes a token holds, and whether it satisfies a route (docs/api-gateway.md §3.2, §3.4). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hasAnyScope, tokenScopes } from "../../src/auth/token-scopes.js";

describe("tokenScopes", () => {
  test("scope is split on whitespace", () => {
    assert.deepEqual(tokenScopes({ scope: "openid  profile\tread:messages" }), ["openid", "profile", "read:messages"]);
  });

  test("scp as an array or a space-separated string", () => {
    assert.deepEqual(tokenScopes({ scp: ["a", "b"] }), ["a", "b"]);
    assert.deepEqual(tokenScopes({ scp: "User.Read Mail.Read" }), ["User.Read", "Mail.Read"]);
  });

  test("scp wins over scope when both are present", () => {
    assert.deepEqual(tokenScopes({ scp: ["a"], scope: "b c" }), ["a"]);
  });

  test("no scope claim gives an empty list", () => {
    assert.deepEqual(tokenScopes({ sub: "x" }), []);
  });
});

describe("hasAnyScope", () => {
  test("one of the route's scopes is enough; none is a refusal; no route scopes always pass", () => {
    assert.equal(hasAnyScope(["a", "b"], ["c", "b"]), true);
    assert.equal(hasAnyScope(["a"], ["c"]), false);
    assert.equal(hasAnyScope([], ["c"]), false);
    assert.equal(hasAnyScope([], []), true);
  });
});
