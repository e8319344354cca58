import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildEvent, type EventInput, isTextMediaType } from "../../src/gateway/build-event.js";
import { clfTime } from "../../src/gateway/clf-time.js";
import { collectHeaders, decodePath, parseQueryString, splitTarget } from "../../src/gateway/read-request.js";
import { deriveApiId, newRequestId } from "../../src/gateway/request-ids.js";

describe("reading the request", () => {
  test("headers are lowercased, duplicates comma-joined, cookies split out", () => {
    const { headers, cookies } = collectHeaders([
      "Accept", "a",
      "ACCEPT", "b",
      "Cookie", "x=1; y=2",
      "cookie", "z=3",
      "constructor", "c",
      "__proto__", "p",
      "Connection", "keep-alive",
      "Transfer-Encoding", "chunked",
    ]);
    assert.equal(headers.connection, undefined, "hop-by-hop headers stop at the gateway");
    assert.equal(headers["transfer-encoding"], undefined);
    assert.equal(headers.accept, "a,b");
    assert.equal(headers.cookie, undefined);
    assert.deepEqual(cookies, ["x=1", "y=2", "z=3"]);
    assert.equal(headers.constructor, "c", "prototype names are ordinary header names");
    assert.equal(Object.getOwnPropertyDescriptor(headers, "__proto__")?.value, "p");
    assert.match(JSON.stringify(headers), /"__proto__":"p"/);
  });

  test("the path is decoded, the query string is not", () => {
    assert.deepEqual(splitTarget("/RSC/%40id%2Fassets?a=%20b#frag"), { path: "/RSC/%40id%2Fassets", query: "a=%20b" });
    assert.equal(decodePath("/RSC/%40id%2Fassets%2Frsf0.js%23save.txt"), "/RSC/@id/assets/rsf0.js#save.txt");
    assert.equal(decodePath("/a+b"), "/a+b", "+ is literal in a path");
    assert.equal(decodePath("/bad%zz/%E2%82%AC/%E2"), "/bad%zz/€/%E2", "malformed escapes survive");
    assert.deepEqual(splitTarget("http://host:1/p?q=1"), { path: "/p", query: "q=1" });
    assert.equal(splitTarget("*"), null);
  });

  test("query parameters are decoded, duplicates comma-joined, absent when empty", () => {
    assert.deepEqual(parseQueryString("a=1&a=2&b=x%20y&c=1+2&flag&&d="), {
      a: "1,2",
      b: "x y",
      c: "1 2",
      flag: "",
      d: "",
    });
    assert.equal(parseQueryString(""), null);
    assert.equal(parseQueryString("&&"), null);
  });
});

describe("body encoding (docs/api-gateway.md §4.1)", () => {
  const cases: Array<[string | undefined, boolean]> = [
    ["text/plain", true],
    ["text/html; charset=utf-8", true],
    ["Application/JSON; charset=UTF-8", true],
    ["application/xml", true],
    ["application/javascript", true],
    [undefined, false],
    ["application/x-www-form-urlencoded", false],
    ["multipart/form-data; boundary=x", false],
    ["application/octet-stream", false],
    ["application/vnd.api+json", false],
  ];
  for (const [type, text] of cases) {
    test(`${type ?? "(no content-type)"} → ${text ? "text" : "base64"}`, () => {
      assert.equal(isTextMediaType(type), text);
    });
  }
  test("+json can be configured as text", () => {
    assert.equal(isTextMediaType("application/vnd.api+json", true), true);
  });
});

function input(overrides: Partial<EventInput> = {}): EventInput {
  return {
    routeKey: "POST /forms",
    method: "POST",
    path: "/forms",
    rawQueryString: "",
    headers: { host: "abc.example.com" },
    cookies: [],
    queryStringParameters: null,
    pathParameters: null,
    body: Buffer.alloc(0),
    apiId: "abcdefghij",
    requestId: "LV7fzho-PHcEJPw=",
    protocol: "HTTP/1.1",
    sourceIp: "127.0.0.1",
    stage: "$default",
    time: "21/Apr/2020:15:08:21 +0000",
    timeEpoch: 1587481701067,
    ...overrides,
  };
}

describe("buildEvent", () => {
  test("a form post is base64 with isBase64Encoded true", () => {
    const event = buildEvent(
      input({ headers: { "content-type": "application/x-www-form-urlencoded" }, body: Buffer.from("a=1&b=2") }),
    );
    assert.equal(event.isBase64Encoded, true);
    assert.equal(Buffer.from(event.body!, "base64").toString(), "a=1&b=2");
  });

  test("optional keys are left out, stage variables included when present", () => {
    const bare = buildEvent(input());
    for (const key of ["cookies", "queryStringParameters", "pathParameters", "stageVariables", "body"]) {
      assert.equal(key in bare, false, key);
    }
    assert.equal("authorizer" in bare.requestContext, false);
    assert.equal(bare.requestContext.domainPrefix, "abc");
    const full = buildEvent(input({ stageVariables: { a: "1" }, authorizer: { claims: { sub: "u" }, scopes: null } }));
    assert.deepEqual(full.stageVariables, { a: "1" });
    assert.deepEqual(full.requestContext.authorizer, { jwt: { claims: { sub: "u" }, scopes: null } });
    assert.equal(buildEvent(input({ headers: {} })).requestContext.http.userAgent, "");
  });
});

describe("identifiers and time", () => {
  test("request ids are API Gateway-shaped and unique", () => {
    const ids = new Set(Array.from({ length: 2000 }, newRequestId));
    assert.equal(ids.size, 2000);
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{15}=$/);
  });

  test("apiId is 10 lowercase alphanumerics, stable per Api and distinct between Apis", () => {
    assert.match(deriveApiId("MyStack/Api"), /^[a-z0-9]{10}$/);
    assert.equal(deriveApiId("MyStack/Api"), deriveApiId("MyStack/Api"));
    assert.notEqual(deriveApiId("MyStack/Api"), deriveApiId("MyStack/Other"));
  });

  test("time is CLF with a space before +0000", () => {
    assert.equal(clfTime(1587481701067), "21/Apr/2020:15:08:21 +0000");
    assert.equal(clfTime(Date.UTC(2021, 0, 5, 3, 4, 5)), "05/Jan/2021:03:04:05 +0000");
  });
});
