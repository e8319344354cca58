/** Config-time limits and forms API Gateway's management API enforces (docs/api-gateway.md §3.1, §3.5). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JwtAuthorizerManifest } from "../../src/manifest/manifest.js";
import { validateAuthorizerConfig } from "../../src/app/validate-authorizer.js";

const base: JwtAuthorizerManifest = {
  id: "Auth0",
  type: "JWT",
  issuer: "https://myorg.us.auth0.com/",
  audience: ["https://api.example.com"],
  identitySource: "$request.header.Authorization",
};

describe("validateAuthorizerConfig", () => {
  test("the walkthrough's authorizer is accepted, as is a loopback http issuer", () => {
    assert.deepEqual(validateAuthorizerConfig(base, ["read:messages"]), []);
    assert.deepEqual(validateAuthorizerConfig({ ...base, issuer: "http://127.0.0.1:4001/" }, []), []);
    assert.deepEqual(validateAuthorizerConfig({ ...base, identitySource: "$request.querystring.token" }, []), []);
  });

  test("50 audiences pass, 51 are refused", () => {
    const audiences = (n: number) => Array.from({ length: n }, (_, i) => `aud-${i}`);
    assert.deepEqual(validateAuthorizerConfig({ ...base, audience: audiences(50) }, []), []);
    const problems = validateAuthorizerConfig({ ...base, audience: audiences(51) }, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /51 audiences; API Gateway allows at most 50/);
  });

  test("10 route scopes pass, 11 are refused", () => {
    const scopes = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
    assert.deepEqual(validateAuthorizerConfig(base, scopes(10)), []);
    assert.match(validateAuthorizerConfig(base, scopes(11))[0]!, /11 authorization scopes; API Gateway allows at most 10/);
  });

  test("identity sources other than one header or query parameter are refused", () => {
    for (const source of ["Authorization", "$request.header.", "$request.body.token", "$request.header.A,$request.header.B", "$context.x"]) {
      const problems = validateAuthorizerConfig({ ...base, identitySource: source }, []);
      assert.equal(problems.length, 1, source);
      assert.match(problems[0]!, /identitySource/);
    }
  });

  test("issuers that are not https (or loopback http) are refused", () => {
    assert.match(validateAuthorizerConfig({ ...base, issuer: "http://idp.example.com/" }, [])[0]!, /http is allowed only for loopback/);
    assert.match(validateAuthorizerConfig({ ...base, issuer: "not a url" }, [])[0]!, /is not a URL/);
    assert.match(validateAuthorizerConfig({ ...base, issuer: "https://idp.example.com/?tenant=1" }, [])[0]!, /query or fragment/);
  });
});
