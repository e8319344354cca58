import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CorsManifest } from "../../src/manifest/manifest.js";
import { isGatehouseError } from "../../src/errors.js";
import { createGateway, type Gateway } from "../../src/gateway/gateway.js";
import { memoryLogger } from "../../src/log.js";
import { api, header, InProcessInvoker, request, route, type TestHandler, TokenTableAuthorizer } from "./in-process.js";

const CORS: CorsManifest = {
  allowOrigins: ["https://app.example.com", "http://*"],
  allowMethods: ["GET", "POST"],
  allowHeaders: ["authorization", "content-type"],
  exposeHeaders: ["x-total"],
  allowCredentials: true,
  maxAge: 300,
};

function setup(
  routes = [route("GET /public", "public"), route("GET /private", "private", true), route("GET /admin", "private", true, ["admin"])],
  handlers: Record<string, TestHandler> = {},
  extra: { cors?: CorsManifest | null; integrationTimeoutMs?: number; maxBodyBytes?: number } = {},
) {
  const invoker = new InProcessInvoker({
    public: () => ({ statusCode: 200, body: "Hello stranger!" }),
    private: (event) => ({ statusCode: 200, body: `Hello ${event.requestContext.authorizer.jwt.claims.sub}!` }),
    ...handlers,
  });
  const authorizer = new TokenTableAuthorizer({
    alice: { claims: { sub: "auth0|alice" }, scopes: ["read"] },
  });
  const logger = memoryLogger();
  const gateway: Gateway = createGateway({
    api: api(routes, extra.cors ?? null),
    invoker,
    authorizer,
    logger,
    integrationTimeoutMs: extra.integrationTimeoutMs,
    maxBodyBytes: extra.maxBodyBytes,
  });
  return { gateway, invoker, authorizer, logger };
}

describe("gateway flow", () => {
  test("public route answers and every response carries apigw-requestid matching the event", async () => {
    const { gateway, invoker } = setup();
    const response = await gateway.handle(request("GET", "/public"));
    assert.equal(response.statusCode, 200);
    assert.equal(response.body.toString(), "Hello stranger!");
    assert.equal(header(response, "apigw-requestid"), invoker.calls[0].event.requestContext.requestId);
    assert.equal(invoker.calls[0].requestId, invoker.calls[0].event.requestContext.requestId);
    const missing = await gateway.handle(request("GET", "/nope"));
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.body.toString(), '{"message":"Not Found"}');
    assert.equal(header(missing, "content-type"), "application/json");
    assert.match(header(missing, "apigw-requestid") ?? "", /^[A-Za-z0-9_-]{15}=$/);
  });

  test("a refused token gets 401 with the challenge, a log line, and the function is never invoked", async () => {
    const { gateway, invoker, logger } = setup();
    const response = await gateway.handle(request("GET", "/private", ["Authorization", "Bearer forged"]));
    assert.equal(response.statusCode, 401);
    assert.equal(response.body.toString(), '{"message":"Unauthorized"}');
    assert.equal(
      header(response, "www-authenticate"),
      'Bearer scope="" error="invalid_token" error_description="the token is invalid"',
    );
    assert.equal(invoker.calls.length, 0);
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0], /^\d\d:\d\d:\d\d GET \/private → GET \/private 401 \d+ ms denied: unknown token forged$/);
  });

  test("a token without the route's scope gets 403 Forbidden", async () => {
    const { gateway, invoker } = setup();
    const response = await gateway.handle(request("GET", "/admin", ["Authorization", "Bearer alice"]));
    assert.equal(response.statusCode, 403);
    assert.equal(response.body.toString(), '{"message":"Forbidden"}');
    assert.equal(header(response, "www-authenticate"), undefined);
    assert.equal(invoker.calls.length, 0);
  });

  test("an authorized request reaches the function with claims and is logged with its sub", async () => {
    const { gateway, authorizer, logger } = setup();
    const response = await gateway.handle(request("GET", "/private?x=1", ["Authorization", "Bearer alice"]));
    assert.equal(response.body.toString(), "Hello auth0|alice!");
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0], /^\d\d:\d\d:\d\d GET \/private → GET \/private 200 \d+ ms allowed sub=auth0\|alice$/);
    assert.equal(authorizer.requests[0].headers.authorization, "Bearer alice");
    assert.deepEqual(authorizer.requests[0].query, { x: "1" });
    assert.equal(authorizer.requests[0].authorizer.issuer, "https://issuer.test/");
  });

  test("handler errors and malformed responses are 500 Internal Server Error", async () => {
    const { gateway, logger } = setup([route("GET /throw", "throw"), route("GET /bad", "bad")], {
      throw: () => {
        throw new Error("boom");
      },
      bad: () => ({ statusCode: "oops" }),
    });
    for (const path of ["/throw", "/bad"]) {
      const response = await gateway.handle(request("GET", path));
      assert.equal(response.statusCode, 500);
      assert.equal(response.body.toString(), '{"message":"Internal Server Error"}');
    }
    assert.match(logger.lines.join("\n"), /boom/);
    assert.match(logger.lines.join("\n"), /malformed function response/);
  });

  test("the integration timeout answers 503 Service Unavailable", async () => {
    // The function answers only when the test lets it: a response before that came from the timeout.
    let release: (value: string) => void = () => {};
    let finished = false;
    const { gateway } = setup([route("GET /slow", "slow")], {
      slow: () =>
        new Promise<string>((resolve) => {
          release = resolve;
        }).finally(() => {
          finished = true;
        }),
    }, { integrationTimeoutMs: 50 });
    const response = await gateway.handle(request("GET", "/slow"));
    assert.equal(finished, false, "answered before the function finished");
    assert.equal(response.statusCode, 503);
    assert.equal(response.body.toString(), '{"message":"Service Unavailable"}');
    assert.equal(response.body.length, 33);
    release("late");
  });

  test("update swaps routes; a bad table is refused and the old one keeps serving", async () => {
    const { gateway } = setup();
    gateway.update(api([route("GET /new", "public")]));
    assert.equal((await gateway.handle(request("GET", "/public"))).statusCode, 404);
    assert.equal((await gateway.handle(request("GET", "/new"))).statusCode, 200);
    assert.throws(() => gateway.update(api([route("GET /broken/", "public")])), (err) => isGatehouseError(err, "GH_ERR_ROUTE_INVALID"));
    assert.equal((await gateway.handle(request("GET", "/new"))).statusCode, 200);
  });

  test("an in-flight request finishes with the route table it started with", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { gateway } = setup([route("GET /wait", "wait")], {
      wait: async () => {
        await gate;
        return "done";
      },
    });
    const pending = gateway.handle(request("GET", "/wait"));
    await new Promise((resolve) => setImmediate(resolve));
    gateway.update(api([]));
    release();
    const response = await pending;
    assert.equal(response.statusCode, 200);
    assert.equal(response.body.toString(), "done");
    assert.equal((await gateway.handle(request("GET", "/wait"))).statusCode, 404);
  });

  test("request body limit: over maxBodyBytes is 413 and the function is not called", async () => {
    const { gateway, invoker } = setup([route("POST /upload", "public")], {}, { maxBodyBytes: 1000 });
    const response = await gateway.handle(request("POST", "/upload", ["Content-Type", "text/plain"], "x".repeat(1001)));
    assert.equal(response.statusCode, 413);
    assert.equal(response.body.toString(), '{"message":"Request Entity Too Large"}');
    assert.equal(invoker.calls.length, 0);
    assert.equal((await gateway.handle(request("POST", "/upload", [], "x".repeat(1000)))).statusCode, 200);
  });

  test("request line plus headers over 10240 bytes is 431", async () => {
    const { gateway, invoker } = setup();
    const response = await gateway.handle(request("GET", "/public", ["X-Big", "a".repeat(10_300)]));
    assert.equal(response.statusCode, 431);
    assert.equal(response.body.toString(), '{"message":"Request Header Fields Too Large"}');
    assert.equal(invoker.calls.length, 0);
    assert.equal((await gateway.handle(request("GET", "/public", ["X-Big", "a".repeat(9_000)]))).statusCode, 200);
  });

  test("a request target that is not a path is 400, not a crash", async () => {
    const { gateway } = setup();
    const response = await gateway.handle(request("OPTIONS", "*"));
    assert.equal(response.statusCode, 400);
    assert.ok(header(response, "apigw-requestid"));
  });

  test("an authorizer that throws yields 500, never a pass", async () => {
    const invoker = new InProcessInvoker({ fn: () => "secret" });
    const gateway = createGateway({
      api: api([route("GET /p", "fn", true)]),
      invoker,
      authorizer: {
        authorize: async () => {
          throw new Error("jwks exploded");
        },
      },
      logger: memoryLogger(),
    });
    const response = await gateway.handle(request("GET", "/p", ["Authorization", "Bearer x"]));
    assert.equal(response.statusCode, 500);
    assert.equal(invoker.calls.length, 0);
  });
});

describe("CORS (docs/api-gateway.md §6)", () => {
  const routes = [route("GET /private", "private", true), route("ANY /{proxy+}", "echo", true)];
  const handlers: Record<string, TestHandler> = {
    echo: () => ({ statusCode: 200, headers: { "Access-Control-Allow-Origin": "https://evil.example" }, body: "x" }),
  };

  test("preflight is answered 204 before routing and authorization", async () => {
    const { gateway, invoker, authorizer } = setup(routes, handlers, { cors: CORS });
    const response = await gateway.handle(
      request("OPTIONS", "/private", [
        "Origin", "https://app.example.com",
        "Access-Control-Request-Method", "GET",
        "Access-Control-Request-Headers", "authorization",
      ]),
    );
    assert.equal(response.statusCode, 204);
    assert.equal(response.body.length, 0);
    assert.equal(header(response, "access-control-allow-origin"), "https://app.example.com");
    assert.equal(header(response, "access-control-allow-methods"), "GET,POST");
    assert.equal(header(response, "access-control-allow-headers"), "authorization,content-type");
    assert.equal(header(response, "access-control-allow-credentials"), "true");
    assert.equal(header(response, "access-control-max-age"), "300");
    assert.equal(header(response, "vary"), "Origin");
    assert.ok(header(response, "apigw-requestid"));
    assert.equal(invoker.calls.length, 0);
    assert.equal(authorizer.requests.length, 0);
  });

  test("wildcard scheme origins match; the list `*` answers `*`", async () => {
    const { gateway } = setup(routes, handlers, { cors: CORS });
    const preflight = (origin: string) =>
      gateway.handle(request("OPTIONS", "/x", ["Origin", origin, "Access-Control-Request-Method", "POST"]));
    assert.equal(header(await preflight("http://localhost:5173"), "access-control-allow-origin"), "http://localhost:5173");
    assert.equal(header(await preflight("https://other.example.com"), "access-control-allow-origin"), undefined);
    const star = setup(routes, handlers, { cors: { ...CORS, allowOrigins: ["*"], allowCredentials: false } });
    const response = await star.gateway.handle(
      request("OPTIONS", "/x", ["Origin", "https://anything.test", "Access-Control-Request-Method", "GET"]),
    );
    assert.equal(header(response, "access-control-allow-origin"), "*");
  });

  test("a disallowed origin's preflight carries no Access-Control-* header", async () => {
    const { gateway, invoker } = setup(routes, handlers, { cors: CORS });
    const response = await gateway.handle(
      request("OPTIONS", "/private", ["Origin", "https://evil.example", "Access-Control-Request-Method", "GET"]),
    );
    assert.equal(response.statusCode, 204);
    assert.equal(response.headers.filter(([n]) => n.startsWith("access-control-")).length, 0);
    assert.equal(invoker.calls.length, 0);
  });

  test("normal CORS responses get the configured headers and lose the backend's", async () => {
    const { gateway } = setup(routes, handlers, { cors: CORS });
    const response = await gateway.handle(
      request("GET", "/anything", ["Origin", "https://app.example.com", "Authorization", "Bearer alice"]),
    );
    assert.equal(response.statusCode, 200);
    assert.deepEqual(
      response.headers.filter(([n]) => n === "access-control-allow-origin"),
      [["access-control-allow-origin", "https://app.example.com"]],
    );
    assert.equal(header(response, "access-control-expose-headers"), "x-total");
    assert.equal(header(response, "access-control-allow-credentials"), "true");
    assert.equal(header(response, "vary"), "Origin");
    const refused = await gateway.handle(request("GET", "/private", ["Origin", "https://app.example.com"]));
    assert.equal(refused.statusCode, 401);
    assert.equal(header(refused, "access-control-allow-origin"), "https://app.example.com", "the app can read the 401");
    const evil = await gateway.handle(request("GET", "/anything", ["Origin", "https://evil.example", "Authorization", "Bearer alice"]));
    assert.equal(evil.headers.filter(([n]) => n.startsWith("access-control-")).length, 0);
  });

  test("without a CORS configuration OPTIONS is routed, authorizer included", async () => {
    const { gateway, authorizer } = setup(routes, handlers);
    const response = await gateway.handle(
      request("OPTIONS", "/x", ["Origin", "https://app.example.com", "Access-Control-Request-Method", "GET"]),
    );
    assert.equal(response.statusCode, 401);
    assert.equal(authorizer.requests.length, 1);
  });
});
