import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatAccessLine } from "../../src/gateway/access-log.js";
import { createGateway } from "../../src/gateway/gateway.js";
import { RECORD_BODY_LIMIT, type RequestRecord } from "../../src/gateway/request-record.js";
import { memoryLogger } from "../../src/log.js";
import { api, InProcessInvoker, request, route, TokenTableAuthorizer } from "./in-process.js";

function setup(options: { observe?: boolean; accessLog?: false | { color: boolean } } = {}) {
  const records: RequestRecord[] = [];
  const logger = memoryLogger();
  const gateway = createGateway({
    api: api([route("GET /public", "public"), route("GET /private", "private", true), route("POST /echo", "echo")]),
    invoker: new InProcessInvoker({
      public: () => ({ statusCode: 200, body: "Hello stranger!" }),
      private: () => ({ statusCode: 200, body: "Hello user!" }),
      echo: (event) => ({ statusCode: 200, body: event.body }),
    }),
    authorizer: new TokenTableAuthorizer({ alice: { claims: { sub: "auth0|alice" }, scopes: [] } }),
    logger,
    accessLog: options.accessLog,
    onRequest: options.observe === false ? undefined : (record) => records.push(record),
  });
  return { gateway, records, logger };
}

describe("request records and the access log", () => {
  test("a public request: one access line, and a record with route, status, no verdict and the event", async () => {
    const { gateway, records, logger } = setup();
    const response = await gateway.handle(request("GET", "/public?x=1"));
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0], /^\d\d:\d\d:\d\d GET \/public → GET \/public 200 \d+ ms$/);
    assert.equal(records.length, 1);
    const [record] = records;
    assert.equal(record.routeKey, "GET /public");
    assert.equal(record.status, 200);
    assert.equal(record.query, "x=1");
    assert.deepEqual(record.verdict, { kind: "none", reason: "" });
    assert.equal(record.requestId, response.headers.find(([name]) => name === "apigw-requestid")?.[1]);
    assert.equal((JSON.parse(record.detail!.eventJson!) as { rawPath: string }).rawPath, "/public");
    assert.equal(record.detail?.responseBody.body.toString(), "Hello stranger!");
  });

  test("a refusal records the reason and the token as presented; an allow records the sub", async () => {
    const { gateway, records, logger } = setup();
    await gateway.handle(request("GET", "/private", ["Authorization", "Bearer a.b.c"]));
    await gateway.handle(request("GET", "/private", ["Authorization", "Bearer alice"]));
    assert.deepEqual(records[0].verdict, { kind: "deny", reason: "unknown token a.b.c" });
    assert.equal(records[0].detail?.token?.raw, "a.b.c");
    assert.equal(records[0].detail?.eventJson, undefined);
    assert.equal(records[1].verdict.kind, "allow");
    assert.equal(records[1].verdict.sub, "auth0|alice");
    assert.match(logger.lines[0], / 401 \d+ ms denied: unknown token a\.b\.c$/);
    assert.match(logger.lines[1], / 200 \d+ ms allowed sub=auth0\|alice$/);
  });

  test("a JWT is decoded into header and claims", async () => {
    const { gateway, records } = setup();
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const jwt = `${part({ alg: "RS256", kid: "k1" })}.${part({ sub: "auth0|bob", aud: "abc" })}.sig`;
    await gateway.handle(request("GET", "/private", ["Authorization", `Bearer ${jwt}`]));
    assert.deepEqual(records[0].detail?.token?.header, { alg: "RS256", kid: "k1" });
    assert.deepEqual(records[0].detail?.token?.claims, { sub: "auth0|bob", aud: "abc" });
  });

  test("bodies over 64 KB are cut in the record and say so; the client gets them whole", async () => {
    const { gateway, records } = setup();
    const big = Buffer.alloc(RECORD_BODY_LIMIT + 10, "a");
    const response = await gateway.handle(request("POST", "/echo", ["content-type", "text/plain"], big.toString()));
    assert.equal(response.body.length, big.length);
    const detail = records[0].detail!;
    assert.equal(detail.requestBody.truncated, true);
    assert.equal(detail.requestBody.body.length, RECORD_BODY_LIMIT);
    assert.equal(detail.requestBody.size, big.length);
    assert.equal(detail.responseBody.truncated, true);
    assert.equal(detail.eventTruncated, true);
    const event = JSON.parse(detail.eventJson!) as { body: string; rawPath: string };
    assert.equal(event.body.length, RECORD_BODY_LIMIT);
    assert.equal(event.rawPath, "/echo");
  });

  test("no route and no observer: the line says so; accessLog false silences it", async () => {
    const plain = setup({ observe: false });
    await plain.gateway.handle(request("GET", "/nowhere"));
    assert.match(plain.logger.lines[0], / GET \/nowhere → no route 404 \d+ ms$/);
    const quiet = setup({ accessLog: false });
    await quiet.gateway.handle(request("GET", "/public"));
    assert.deepEqual(quiet.logger.lines, []);
    assert.equal(quiet.records.length, 1);
  });

  test("colour only when asked, and control characters never split a line", () => {
    const record: RequestRecord = {
      time: Date.UTC(2026, 0, 1, 12, 0, 0),
      method: "GET",
      path: "/a\nb",
      query: "",
      routeKey: "GET /{x}",
      status: 401,
      latencyMs: 2.4,
      requestId: "id",
      apiId: "api",
      verdict: { kind: "deny", reason: "token expired 3 min ago" },
    };
    const plain = formatAccessLine(record, { color: false });
    assert.match(plain, /^\d\d:\d\d:\d\d GET \/a b → GET \/\{x\} 401 2 ms denied: token expired 3 min ago$/);
    assert.doesNotMatch(plain, /\x1b/);
    assert.match(formatAccessLine(record, { color: true }), /\x1b\[33m401\x1b\[0m/);
  });
});
