import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createGateway } from "../../src/gateway/gateway.js";
import { memoryLogger } from "../../src/log.js";
import type { RouteManifest } from "../../src/manifest/manifest.js";
import { api, InProcessInvoker, route, TokenTableAuthorizer } from "./in-process.js";

// Recorded API Gateway events, copied verbatim with their provenance (fixtures/apigw/README.md).
const FIXTURES = fileURLToPath(new URL("./fixtures/apigw", import.meta.url));
const fixture = (name: string): any => JSON.parse(readFileSync(`${FIXTURES}/${name}`, "utf8"));

const REQUEST_ID = /^[A-Za-z0-9_-]{15}=$/;
const CLF_TIME = /^\d{2}\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;
const TRACE_ID = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const API_ID = /^[a-z0-9]{10}$/;

/** The type skeleton of a JSON value: which keys exist and what kind each value is. */
function shapeOf(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) out[key] = shapeOf((value as any)[key]);
    return out;
  }
  return typeof value;
}

/** What the hand-written fixtures would look like from real AWS: lowercase headers, no mTLS block. */
function normalizeFixture(event: any): any {
  const copy = structuredClone(event);
  copy.headers = Object.fromEntries(Object.entries(copy.headers).map(([k, v]) => [k.toLowerCase(), v]));
  delete copy.requestContext.authentication;
  return copy;
}

/** Sends one request through a real gateway and returns the event the function received. */
async function capture(
  routes: RouteManifest[],
  method: string,
  rawUrl: string,
  headers: string[],
  body = "",
  sourceIp = "1.2.3.4",
): Promise<any> {
  const invoker = new InProcessInvoker({ fn: () => ({ statusCode: 200 }) });
  const authorizer = new TokenTableAuthorizer({
    good: { claims: { claim1: "value1", claim2: "value2" }, scopes: ["scope1", "scope2"] },
  });
  const gateway = createGateway({ api: api(routes), invoker, authorizer, logger: memoryLogger() });
  const response = await gateway.handle({
    method,
    rawUrl,
    headers,
    body: Buffer.from(body),
    sourceIp,
    protocol: "HTTP/1.1",
    localPort: 3000,
  });
  assert.equal(response.statusCode, 200, response.body.toString());
  assert.equal(invoker.calls.length, 1);
  return invoker.calls[0].event;
}

function assertGatewayFormats(ours: any): void {
  assert.match(ours.requestContext.requestId, REQUEST_ID);
  assert.match(ours.requestContext.time, CLF_TIME);
  assert.ok(Number.isInteger(ours.requestContext.timeEpoch) && ours.requestContext.timeEpoch > 1e12, "timeEpoch in ms");
  assert.ok(Math.abs(ours.requestContext.timeEpoch - Date.now()) < 60_000);
  assert.match(ours.requestContext.apiId, API_ID);
  assert.match(ours.headers["x-amzn-trace-id"], TRACE_ID);
  const traceSeconds = Number.parseInt(ours.headers["x-amzn-trace-id"].slice(7, 15), 16);
  assert.equal(traceSeconds, Math.floor(ours.requestContext.timeEpoch / 1000));
  assert.equal(ours.requestContext.accountId, "123456789012");
  assert.equal(ours.requestContext.stage, "$default");
  assert.equal(ours.requestContext.routeKey, ours.routeKey);
  assert.equal(ours.requestContext.http.path, ours.rawPath);
}

describe("event fidelity against recorded AWS events", () => {
  test("the recorded formats themselves match the patterns used below", () => {
    const real = fixture("aws-lambda-go_apigw-v2-request-no-authorizer.json");
    assert.match(real.requestContext.requestId, REQUEST_ID);
    assert.match(real.requestContext.time, CLF_TIME);
    assert.match(real.requestContext.apiId, API_ID);
    assert.match(real.headers["x-amzn-trace-id"], TRACE_ID);
    assert.match(fixture("awsdocs_payload-2.0-example.json").requestContext.time, CLF_TIME);
  });

  test("no-authorizer capture: curl GET / on $default", async () => {
    const real = normalizeFixture(fixture("aws-lambda-go_apigw-v2-request-no-authorizer.json"));
    const ours = await capture(
      [route("$default", "fn")],
      "GET",
      "/",
      ["Host", "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com", "User-Agent", "curl/7.58.0", "Accept", "*/*"],
    );
    assert.deepEqual(shapeOf(ours), shapeOf(real));
    assertGatewayFormats(ours);
    for (const key of ["version", "routeKey", "rawPath", "rawQueryString", "isBase64Encoded"]) {
      assert.deepEqual(ours[key], real[key], key);
    }
    for (const key of ["accept", "content-length", "host", "user-agent", "x-forwarded-for"]) {
      assert.equal(ours.headers[key], real.headers[key], key);
    }
    // Documented divergence: the local server is plain HTTP on its own port, not 443/https.
    assert.equal(ours.headers["x-forwarded-port"], "3000");
    assert.equal(ours.headers["x-forwarded-proto"], "http");
    assert.deepEqual(ours.requestContext.http, real.requestContext.http);
    assert.equal(ours.requestContext.domainName, real.requestContext.domainName);
    assert.equal(ours.requestContext.domainPrefix, real.requestContext.domainPrefix);
  });

  test("AWS docs example: cookies, duplicate headers and query values, JWT claims and scopes", async () => {
    const real = normalizeFixture(fixture("awsdocs_payload-2.0-example.json"));
    const ours = await capture(
      [route("$default", "fn", true, ["scope1"])],
      "POST",
      "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
      [
        "Host", "id.execute-api.us-east-1.amazonaws.com",
        "User-Agent", "agent",
        "Header1", "value1",
        "Header2", "value1",
        "header2", "value2",
        "Cookie", "cookie1; cookie2",
        "Authorization", "Bearer good",
        "Content-Type", "text/plain",
      ],
      "Hello from Lambda",
      "192.0.2.1",
    );
    // The docs example shows pathParameters on a $default route and omits stageVariables-free reality;
    // AWS leaves pathParameters out for $default (docs/api-gateway.md §4) and this Api has no stage variables.
    delete real.pathParameters;
    delete real.stageVariables;
    assert.deepEqual(shapeOf({ ...ours, headers: {} }), shapeOf({ ...real, headers: {} }));
    assertGatewayFormats(ours);
    for (const key of ["version", "routeKey", "rawPath", "rawQueryString", "cookies", "queryStringParameters", "body", "isBase64Encoded"]) {
      assert.deepEqual(ours[key], real[key], key);
    }
    assert.equal(ours.headers.header1, real.headers.header1);
    assert.equal(ours.headers.header2, real.headers.header2, "duplicates comma-joined without a space");
    assert.equal(ours.headers.cookie, undefined, "the cookie header moves into cookies");
    assert.deepEqual(ours.requestContext.authorizer, real.requestContext.authorizer);
    assert.deepEqual(ours.requestContext.http, real.requestContext.http);
    assert.equal(ours.requestContext.domainPrefix, "id");
    assert.deepEqual(Object.keys(ours.requestContext), Object.keys(real.requestContext), "AWS key order");
  });

  for (const name of [
    "aws-lambda-go_apigw-v2-request-jwt-authorizer.json",
    "aws-lambda-go_apigw-v2-request-lambda-authorizer.json",
    "aws-lambda-go_apigw-v2-request-iam.json",
  ]) {
    test(`${name}: same shape on a greedy route`, async () => {
      const real = normalizeFixture(fixture(name));
      const jwt = name.includes("jwt");
      const ours = await capture(
        [route("GET /{proxy+}", "fn", jwt, jwt ? ["scope1"] : [])],
        "GET",
        "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
        [
          "Host", "id.execute-api.us-east-1.amazonaws.com",
          "User-Agent", "agent",
          "Header1", "value1",
          "Header2", "value2",
          "Cookie", "cookie1; cookie2",
          "Content-Type", "application/json",
          ...(jwt ? ["Authorization", "Bearer good"] : []),
        ],
        '{\r\n\t"a": 1\r\n}',
      );
      delete real.stageVariables;
      if (!jwt) delete real.requestContext.authorizer; // Lambda and IAM authorizers are not emulated.
      assert.deepEqual(shapeOf({ ...ours, headers: {} }), shapeOf({ ...real, headers: {} }));
      assertGatewayFormats(ours);
      for (const key of ["version", "rawPath", "rawQueryString", "cookies", "queryStringParameters", "body", "isBase64Encoded"]) {
        assert.deepEqual(ours[key], real[key], key);
      }
      assert.equal(ours.routeKey, "GET /{proxy+}");
      assert.deepEqual(ours.pathParameters, { proxy: "my/path" });
      assert.equal(ours.headers.header1, "value1", "header names are lowercase");
      assert.equal(ours.headers.Header1, undefined);
      if (jwt) assert.deepEqual(ours.requestContext.authorizer, real.requestContext.authorizer);
      else assert.equal("authorizer" in ours.requestContext, false);
      assert.deepEqual(ours.requestContext.http, { ...real.requestContext.http, sourceIp: "1.2.3.4" });
    });
  }

  test("SAM CLI event is a counter-example: none of its drifts are produced", async () => {
    const sam = fixture("aws-lambda-rust-runtime_example-apigw-sam-http-request.json");
    const ours = await capture([route("GET /dump", "fn")], "GET", "/dump?foo=bar", [
      "Host", "127.0.0.1:3000",
      "User-Agent", "Custom User Agent String",
      "Accept-Language", "en-GB",
    ]);
    assert.deepEqual(sam.cookies, []);
    assert.equal("cookies" in ours, false, "no cookies: key left out, not []");
    assert.deepEqual(sam.pathParameters, {});
    assert.equal("pathParameters" in ours, false, "no variables: key left out, not {}");
    assert.equal(sam.stageVariables, null);
    assert.equal("stageVariables" in ours, false, "no stage variables: key left out, not null");
    assert.equal(sam.body, "");
    assert.equal("body" in ours, false, "no body: key left out, not empty string");
    assert.ok(sam.requestContext.timeEpoch < 1e12);
    assert.ok(ours.requestContext.timeEpoch > 1e12, "timeEpoch in milliseconds");
    assert.match(sam.requestContext.requestId, /^[0-9a-f-]{36}$/);
    assert.doesNotMatch(ours.requestContext.requestId, /^[0-9a-f-]{36}$/);
    assert.match(ours.requestContext.requestId, REQUEST_ID);
    assert.ok("Accept-Language" in sam.headers);
    assert.equal(ours.headers["accept-language"], "en-GB");
    assert.ok(Object.keys(ours.headers).every((k) => k === k.toLowerCase()), "every header name lowercase");
    assert.deepEqual(ours.queryStringParameters, sam.queryStringParameters);
    assert.equal(ours.routeKey, sam.routeKey);
  });
});
