import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { HttpMethod, RouteManifest } from "../../src/manifest/manifest.js";
import { isGatehouseError } from "../../src/errors.js";
import { parseRouteKey } from "../../src/manifest/route-key.js";
import { compileRoutes } from "../../src/gateway/match-route.js";

function route(key: string): RouteManifest {
  const space = key.indexOf(" ");
  return {
    key,
    method: key === "$default" ? null : (key.slice(0, space) as HttpMethod),
    path: key === "$default" ? null : key.slice(space + 1),
    functionId: key,
    stackId: "MyStack",
    authorizationType: "NONE",
    authorizerId: null,
    authorizationScopes: [],
  };
}

function selected(keys: string[], method: string, path: string): { key: string | null; params: unknown } {
  const found = compileRoutes(keys.map(route)).match(method, path);
  return { key: found ? found.route.key : null, params: found ? found.pathParameters : null };
}

describe("route precedence (docs/api-gateway.md §2.2)", () => {
  const docs = ["GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"];
  const cases: Array<[string, string[], string, string, string | null, unknown]> = [
    // The AWS documentation's own example table.
    ["static beats {var}", docs, "GET", "/pets/dog/1", "GET /pets/dog/1", null],
    ["{var} full match", docs, "GET", "/pets/dog/2", "GET /pets/dog/{id}", { id: "2" }],
    ["greedy under /pets", docs, "GET", "/pets/cat/1", "GET /pets/{proxy+}", { proxy: "cat/1" }],
    ["greedy beats $default", docs, "POST", "/test/5", "ANY /{proxy+}", { proxy: "test/5" }],
    // The [UNVERIFIED] tie rules.
    ["non-greedy beats greedy", ["GET /{a}/b", "GET /x/{proxy+}"], "GET", "/x/b", "GET /{a}/b", { a: "x" }],
    ["literal beats var left to right", ["GET /{a}/b", "GET /a/{b}"], "GET", "/a/b", "GET /a/{b}", { b: "b" }],
    ["explicit method beats ANY", ["ANY /pets/{id}", "GET /pets/{id}"], "GET", "/pets/1", "GET /pets/{id}", { id: "1" }],
    ["ANY serves other methods", ["ANY /pets/{id}", "GET /pets/{id}"], "DELETE", "/pets/1", "ANY /pets/{id}", { id: "1" }],
    ["path specificity before method", ["ANY /pets/dog", "GET /pets/{id}"], "GET", "/pets/dog", "ANY /pets/dog", null],
    ["longer greedy prefix wins", ["ANY /{proxy+}", "ANY /a/b/{proxy+}", "ANY /a/{proxy+}"], "GET", "/a/b/c", "ANY /a/b/{proxy+}", { proxy: "c" }],
    ["explicit greedy beats ANY greedy", ["ANY /a/{proxy+}", "GET /a/{proxy+}"], "GET", "/a/x/y", "GET /a/{proxy+}", { proxy: "x/y" }],
    ["full ANY beats explicit greedy", ["ANY /a/{id}", "GET /a/{proxy+}"], "GET", "/a/x", "ANY /a/{id}", { id: "x" }],
    ["backtracks from a dead literal branch", ["GET /a/b/c", "GET /{x}/b/d"], "GET", "/a/b/d", "GET /{x}/b/d", { x: "a" }],
    // Path details (§2.3, §2.4).
    ["trailing slash reaches the route", ["GET /hello"], "GET", "/hello/", "GET /hello", null],
    ["case-sensitive", ["GET /hello"], "GET", "/Hello", null, null],
    ["HEAD does not fall back to GET", ["GET /hello"], "HEAD", "/hello", null, null],
    ["HEAD reaches ANY", ["GET /hello", "ANY /hello"], "HEAD", "/hello", "ANY /hello", null],
    ["greedy needs one segment", ["GET /pets/{proxy+}"], "GET", "/pets", null, null],
    ["greedy with a trailing slash only", ["GET /pets/{proxy+}"], "GET", "/pets/", null, null],
    ["decoded %2F splits segments", ["GET /files/{name}", "GET /files/{proxy+}"], "GET", "/files/a/b", "GET /files/{proxy+}", { proxy: "a/b" }],
    ["root route", ["GET /", "$default"], "GET", "/", "GET /", null],
    ["$default catches the rest", ["GET /", "$default"], "POST", "/", "$default", null],
    ["no match without $default", ["GET /a"], "GET", "/b", null, null],
    ["OPTIONS is routed like any method", ["ANY /{proxy+}"], "OPTIONS", "/x", "ANY /{proxy+}", { proxy: "x" }],
    ["empty segment does not bind a var", ["GET /a/{id}/b"], "GET", "/a//b", null, null],
    ["var and greedy parameters together", ["GET /u/{user}/{proxy+}"], "GET", "/u/7/x/y", "GET /u/{user}/{proxy+}", { user: "7", proxy: "x/y" }],
    ["__proto__ parameter is an own key", ["GET /o/{__proto__}"], "GET", "/o/v", "GET /o/{__proto__}", JSON.parse('{"__proto__":"v"}')],
  ];
  for (const [name, keys, method, path, expected, params] of cases) {
    test(`${name}: ${method} ${path} → ${expected ?? "404"}`, () => {
      const found = selected(keys, method, path);
      assert.equal(found.key, expected);
      if (expected !== null) assert.deepEqual(found.params === null ? null : { ...(found.params as object) }, params);
    });
  }
});

describe("parseRouteKey", () => {
  test("accepts the documented forms", () => {
    for (const key of ["$default", "GET /", "ANY /{proxy+}", "GET /pets/{id}", "POST /a/b-c/{x_y}/{rest+}"]) {
      assert.equal(parseRouteKey(key).ok, true, key);
    }
    const parsed = parseRouteKey("GET /pets/{id}/{proxy+}");
    assert.ok(parsed.ok && !parsed.route.isDefault);
    assert.deepEqual(parsed.route.segments, [
      { kind: "literal", value: "pets" },
      { kind: "var", name: "id" },
      { kind: "greedy", name: "proxy" },
    ]);
  });

  const invalid: Array<[string, RegExp]> = [
    ["GET /hello/", /ending in \//],
    ["FETCH /a", /unknown method/],
    ["get /a", /unknown method/],
    ["GET a", /must start with/],
    ["GET", /expected/],
    ["GET /a/{proxy+}/b", /must be the last segment/],
    ["GET /a/x{id}", /whole segment/],
    ["GET /a/{id}x", /whole segment/],
    ["GET /a//b", /empty segment/],
    ["GET /{a}/{a}", /appears twice/],
    ["GET /{}", /invalid path variable/],
  ];
  for (const [key, message] of invalid) {
    test(`rejects ${JSON.stringify(key)}`, () => {
      const parsed = parseRouteKey(key);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, message);
    });
  }

  test("compileRoutes reports bad and duplicate keys with stable codes", () => {
    assert.throws(() => compileRoutes([route("GET /x/")]), (err) => isGatehouseError(err, "GH_ERR_ROUTE_INVALID"));
    assert.throws(
      () => compileRoutes([route("GET /p/{id}"), route("GET /p/{name}")]),
      (err) => isGatehouseError(err, "GH_ERR_ROUTE_DUPLICATE"),
    );
    assert.throws(() => compileRoutes([route("$default"), route("$default")]), (err) => isGatehouseError(err, "GH_ERR_ROUTE_DUPLICATE"));
  });
});
