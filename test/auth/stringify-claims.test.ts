/** Claims stringification against the spec's examples (§3.4, §4.2). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { stringifyClaims } from "../../src/auth/stringify-claims.js";

describe("stringifyClaims", () => {
  test("the Cognito capture: numbers, booleans and cognito:groups", () => {
    assert.deepEqual(
      stringifyClaims({ auth_time: 1675808143, email_verified: true, "cognito:groups": ["admin", "poweruser"], exp: 1700000000 }),
      { auth_time: "1675808143", email_verified: "true", "cognito:groups": "[admin poweruser]", exp: "1700000000" },
    );
  });

  test("arrays are Go-style, not JSON: scp, an aud array, Entra ID ids, an empty array", () => {
    assert.deepEqual(stringifyClaims({ scp: ["read", "write"], aud: ["a", "b"], groups: ["id1", "id2", "id3"], roles: [] }), {
      scp: "[read write]",
      aud: "[a b]",
      groups: "[id1 id2 id3]",
      roles: "[]",
    });
  });

  test("nested objects become JSON text; nulls are left out; false stays", () => {
    assert.deepEqual(stringifyClaims({ address: { country: "JP" }, nickname: null, email_verified: false }), {
      address: '{"country":"JP"}',
      email_verified: "false",
    });
  });

  test("strings pass through untouched, fractional numbers keep their digits", () => {
    assert.deepEqual(stringifyClaims({ sub: "auth0|60357a6d98e3e5006a9d74a3", amount: 1.5, zero: 0 }), {
      sub: "auth0|60357a6d98e3e5006a9d74a3",
      amount: "1.5",
      zero: "0",
    });
  });

  test("arrays holding numbers, booleans, nested arrays and objects", () => {
    assert.deepEqual(stringifyClaims({ mixed: [1, true, ["x", "y"], { k: "v" }] }), { mixed: '[1 true [x y] {"k":"v"}]' });
  });
});

test("a claim named __proto__ is kept as data", () => {
  const claims = stringifyClaims(JSON.parse('{"sub":"a","__proto__":"x"}'));
  assert.deepEqual(Object.keys(claims).sort(), ["__proto__", "sub"]);
  assert.equal(Object.getOwnPropertyDescriptor(claims, "__proto__")?.value, "x");
});
