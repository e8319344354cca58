/** A manifest read back from disk is trusted only once its version and shape check out. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isGatehouseError } from "../../src/errors.js";
import { MANIFEST_VERSION, type Manifest } from "../../src/manifest/manifest.js";
import { apiUrlToken } from "../../src/manifest/tokens.js";
import { emptyManifest, functionManifest } from "../support/manifests.js";
import { parseManifest } from "../../src/manifest/parse-manifest.js";

function walkthroughManifest(): Manifest {
  return emptyManifest({
    app: { name: "api-auth-jwt-auth0", stage: "prod", region: "us-east-1", root: "/apps/walkthrough" },
    stacks: [{ id: "my-stack", name: "prod-api-auth-jwt-auth0-my-stack", outputs: { ApiEndpoint: apiUrlToken("my-stack/Api") }, location: "stacks/MyStack.js:5" }],
    apis: [
      {
        id: "my-stack/Api",
        constructId: "Api",
        stackId: "my-stack",
        routes: [
          { key: "GET /public", method: "GET", path: "/public", functionId: "f1", stackId: "my-stack", authorizationType: "NONE", authorizerId: null, authorizationScopes: [] },
          { key: "GET /private", method: "GET", path: "/private", functionId: "f2", stackId: "my-stack", authorizationType: "JWT", authorizerId: "Authorizer", authorizationScopes: [] },
        ],
        authorizers: {
          Authorizer: { id: "Authorizer", type: "JWT", issuer: "https://myorg.us.auth0.com/", audience: ["abc"], identitySource: "$request.header.Authorization" },
        },
        cors: null,
      },
    ],
    functions: {
      f1: { ...nodeFunction("f1", "src/public.main", "src/public.js") },
      f2: { ...nodeFunction("f2", "src/private.main", "src/private.js") },
    },
  });
}

function nodeFunction(id: string, handler: string, entry: string): Manifest["functions"][string] {
  return functionManifest(id, entry, {
    handler,
    functionName: `prod-${id}`,
    runtime: "nodejs12.x",
    permissions: ["s3", { effect: "Allow", actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/notes"] }],
    location: "stacks/MyStack.js:9",
  });
}

describe("parseManifest", () => {
  test("a manifest survives a trip through JSON unchanged", () => {
    const manifest = walkthroughManifest();
    assert.deepEqual(parseManifest(JSON.parse(JSON.stringify(manifest)), "artifact.json"), manifest);
  });

  test("another version is refused with GH_ERR_MANIFEST_INVALID", () => {
    const manifest = { ...walkthroughManifest(), version: MANIFEST_VERSION + 1 };
    assert.throws(() => parseManifest(manifest, "artifact.json"), (err) => isGatehouseError(err, "GH_ERR_MANIFEST_INVALID"));
  });

  test("a malformed route is refused, not served", () => {
    const manifest = walkthroughManifest();
    (manifest.apis[0].routes[1] as { authorizationType: string }).authorizationType = "MAYBE";
    assert.throws(() => parseManifest(manifest, "artifact.json"), (err) => isGatehouseError(err, "GH_ERR_MANIFEST_INVALID"));
  });
});
