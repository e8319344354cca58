import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type HttpResponse, MAX_LAMBDA_PAYLOAD_BYTES, mapResponse } from "../../src/gateway/map-response.js";

function mapped(result: unknown): HttpResponse {
  const outcome = mapResponse(JSON.stringify(result) ?? "null");
  assert.ok(outcome.ok, outcome.ok ? "" : outcome.reason);
  return outcome.response;
}

function values(response: HttpResponse, name: string): string[] {
  return response.headers.filter(([n]) => n === name).map(([, v]) => v);
}

describe("response inference (docs/api-gateway.md §5.1)", () => {
  test("a string is sent bare as application/json", () => {
    const response = mapped("Hello from Lambda!");
    assert.equal(response.statusCode, 200);
    assert.equal(response.body.toString(), "Hello from Lambda!");
    assert.deepEqual(values(response, "content-type"), ["application/json"]);
  });

  test("an object without statusCode is sent whole, even when it looks structured", () => {
    const response = mapped({ body: "x", headers: { "x-a": "1" } });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(JSON.parse(response.body.toString()), { body: "x", headers: { "x-a": "1" } });
    assert.deepEqual(values(response, "x-a"), []);
    assert.deepEqual(values(response, "content-type"), ["application/json"]);
  });

  test("numbers, booleans and arrays become their JSON text", () => {
    assert.equal(mapped(42).body.toString(), "42");
    assert.equal(mapped(false).body.toString(), "false");
    assert.equal(mapped([1, "a"]).body.toString(), '[1,"a"]');
  });

  test("null or nothing is an empty 200", () => {
    const response = mapped(null);
    assert.equal(response.statusCode, 200);
    assert.equal(response.body.length, 0);
  });
});

describe("structured responses (docs/api-gateway.md §5.2)", () => {
  test("status, headers and body pass through; content-type defaults to application/json", () => {
    const response = mapped({ statusCode: 201, headers: { "X-Custom": "a,b" }, body: "made" });
    assert.equal(response.statusCode, 201);
    assert.equal(response.body.toString(), "made");
    assert.deepEqual(values(response, "x-custom"), ["a,b"]);
    assert.deepEqual(values(response, "content-type"), ["application/json"]);
  });

  test("a returned content-type is kept", () => {
    const response = mapped({ statusCode: 200, headers: { "Content-Type": "text/html" }, body: "<p>" });
    assert.deepEqual(values(response, "content-type"), ["text/html"]);
  });

  test("each cookie becomes its own set-cookie, before a header set-cookie", () => {
    const response = mapped({
      statusCode: 200,
      cookies: ["a=1; Path=/", "b=2"],
      headers: { "Set-Cookie": "c=3" },
    });
    assert.deepEqual(values(response, "set-cookie"), ["a=1; Path=/", "b=2", "c=3"]);
  });

  test("isBase64Encoded bodies are decoded to raw bytes", () => {
    const bytes = Buffer.from([0, 255, 16, 128]);
    const response = mapped({
      statusCode: 200,
      headers: { "content-type": "image/png" },
      body: bytes.toString("base64"),
      isBase64Encoded: true,
    });
    assert.deepEqual(response.body, bytes);
  });

  test("multiValueHeaders is ignored and framing headers are the gateway's own", () => {
    const response = mapped({
      statusCode: 200,
      multiValueHeaders: { "x-multi": ["1", "2"] },
      headers: { "content-length": "999", "transfer-encoding": "chunked" },
      body: "ok",
    });
    assert.deepEqual(values(response, "x-multi"), []);
    assert.deepEqual(values(response, "content-length"), []);
    assert.deepEqual(values(response, "transfer-encoding"), []);
  });

  test("a statusCode without body is an empty response", () => {
    const response = mapped({ statusCode: 204 });
    assert.equal(response.statusCode, 204);
    assert.equal(response.body.length, 0);
  });

  const malformed: Array<[string, unknown, RegExp]> = [
    ["statusCode as a string", { statusCode: "200" }, /statusCode/],
    ["fractional statusCode", { statusCode: 200.5 }, /statusCode/],
    ["statusCode out of range", { statusCode: 1000 }, /statusCode/],
    ["interim 1xx statusCode", { statusCode: 101 }, /statusCode/],
    ["null statusCode", { statusCode: null }, /statusCode/],
    ["object body", { statusCode: 200, body: { a: 1 } }, /body/],
    ["headers as an array", { statusCode: 200, headers: ["a"] }, /headers/],
    ["header value as an object", { statusCode: 200, headers: { a: { b: 1 } } }, /header "a"/],
    ["header value with a newline", { statusCode: 200, headers: { a: "x\r\nInjected: 1" } }, /header "a"/],
    ["header name with a space", { statusCode: 200, headers: { "a b": "x" } }, /header "a b"/],
    ["cookies not strings", { statusCode: 200, cookies: [1] }, /cookies/],
  ];
  for (const [name, result, reason] of malformed) {
    test(`malformed: ${name}`, () => {
      const outcome = mapResponse(JSON.stringify(result));
      assert.equal(outcome.ok, false);
      if (!outcome.ok) assert.match(outcome.reason, reason);
    });
  }

  test("non-JSON payload is malformed", () => {
    assert.equal(mapResponse("{nope").ok, false);
  });

  test("the tolerances can be switched on", () => {
    const outcome = mapResponse(JSON.stringify({ statusCode: "202", body: { a: 1 } }), {
      acceptStringStatusCode: true,
      stringifyObjectBody: true,
    });
    assert.ok(outcome.ok);
    assert.equal(outcome.response.statusCode, 202);
    assert.equal(outcome.response.body.toString(), '{"a":1}');
  });

  test("a response over Lambda's 6 MB limit fails", () => {
    const big = JSON.stringify({ statusCode: 200, body: "x".repeat(MAX_LAMBDA_PAYLOAD_BYTES) });
    const outcome = mapResponse(big);
    assert.equal(outcome.ok, false);
    if (!outcome.ok) assert.match(outcome.reason, /limit/);
    const fits = mapResponse(JSON.stringify({ statusCode: 200, body: "x".repeat(MAX_LAMBDA_PAYLOAD_BYTES - 100) }));
    assert.equal(fits.ok, true);
  });
});
