import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { LambdaAuthorizer } from "../../src/auth/lambda-authorizer.js";
import { authorizerEventV1, authorizerEventV2, type RequestView } from "../../src/auth/lambda-authorizer-event.js";
import type { LambdaAuthorizerManifest } from "../../src/manifest/manifest.js";
import type { InvokeOutcome, Invoker } from "../../src/runtime/types.js";

const FIXTURES = new URL("../gateway/fixtures/apigw/", import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8"));

/** The integration event behind a Lambda authorizer, captured from AWS, as the gateway builds it before authorizing. */
function capturedRequest(): RequestView {
  const { authorizer: _authorizer, ...requestContext } = fixture("powertools-ts_apigw-http-lambda-authorizer-no-context.json").requestContext;
  const { isBase64Encoded: _b, ...event } = fixture("powertools-ts_apigw-http-lambda-authorizer-no-context.json");
  return { ...event, requestContext } as RequestView;
}

const ARN = "arn:aws:execute-api:eu-west-1:123456789012:lsw1ro4ipb/$default/POST/lambda";

function config(overrides: Partial<LambdaAuthorizerManifest> = {}): LambdaAuthorizerManifest {
  return {
    id: "Auth",
    type: "REQUEST",
    functionId: "authorizer-fn",
    payloadFormatVersion: "2.0",
    enableSimpleResponses: true,
    identitySource: ["$request.header.Authorization"],
    resultTtlSeconds: 300,
    ...overrides,
  };
}

/** An invoker that answers with `answer(event)` and records each invocation. */
class FakeInvoker implements Invoker {
  readonly events: unknown[] = [];
  constructor(private readonly answer: (event: any) => InvokeOutcome | Promise<InvokeOutcome>) {}
  async invoke(_functionId: string, event: unknown): Promise<InvokeOutcome> {
    this.events.push(event);
    return this.answer(event);
  }
}

const json = (value: unknown): InvokeOutcome => ({ ok: true, payload: JSON.stringify(value) });

function withHeader(name: string, value: string | undefined): RequestView {
  const request = capturedRequest();
  const headers = { ...request.headers };
  delete headers.authorization;
  if (value !== undefined) headers[name] = value;
  return { ...request, headers };
}

describe("the Lambda authorizer event", () => {
  test("payload 2.0 is the captured authorizer request, key for key", () => {
    const event = authorizerEventV2(capturedRequest(), ARN, ["Bearer foo"]);
    assert.deepEqual(event, fixture("powertools-ts_apigw-http-authorizer-request-v2.json"));
    assert.deepEqual(Object.keys(event), Object.keys(fixture("powertools-ts_apigw-http-authorizer-request-v2.json")));
  });

  test("payload 2.0 without identity sources sends identitySource null", () => {
    assert.equal(authorizerEventV2(capturedRequest(), ARN, []).identitySource, null);
  });

  test("payload 1.0 has methodArn and the identity values comma-joined, as the documented example", () => {
    const event = authorizerEventV1(capturedRequest(), ARN, ["user1", "123"], "/lambda");
    const documented = fixture("aws-lambda-go_apigw-v2-custom-authorizer-v1-request.json");
    assert.deepEqual(
      [event.version, event.type, event.identitySource, event.authorizationToken, event.methodArn],
      [documented.version, documented.type, documented.identitySource, documented.authorizationToken, ARN],
    );
    for (const key of Object.keys(documented)) assert.ok(key in event, `1.0 event lacks ${key}`);
    assert.equal(event.queryStringParameters, null);
  });
});

describe("LambdaAuthorizer", () => {
  test("a missing or empty identity source is 401 and the function is not invoked", async () => {
    const invoker = new FakeInvoker(() => json({ isAuthorized: true }));
    const authorizer = new LambdaAuthorizer({ invoker });
    for (const value of [undefined, "", "   "]) {
      const result = await authorizer.authorize({ authorizer: config(), request: withHeader("authorization", value), routeArn: ARN, resource: "/lambda" });
      assert.deepEqual([result.allow, !result.allow && result.status], [false, 401]);
    }
    assert.equal(invoker.events.length, 0);
  });

  test("identity sources in a query string and $context are read; a missing one refuses", async () => {
    const invoker = new FakeInvoker((event) => json({ isAuthorized: true, context: { seen: event.identitySource } }));
    const authorizer = new LambdaAuthorizer({ invoker });
    const sources = ["$request.querystring.key", "$context.routeKey"];
    const request = { ...capturedRequest(), queryStringParameters: { key: "k1" }, rawQueryString: "key=k1" };
    const allowed = await authorizer.authorize({ authorizer: config({ identitySource: sources }), request, routeArn: ARN, resource: "/lambda" });
    assert.deepEqual(allowed, { allow: true, context: { seen: ["k1", "POST /lambda"] }, cached: false });
    const missing = await authorizer.authorize({ authorizer: config({ identitySource: sources }), request: capturedRequest(), routeArn: ARN, resource: "/lambda" });
    assert.equal(!missing.allow && missing.status, 401);
  });

  test("simple responses: false is 403, true passes its context with JSON types, no context is null", async () => {
    const answers = [{ isAuthorized: false }, { isAuthorized: true, context: { n: 1, b: true, list: [1], map: { k: "v" } } }, { isAuthorized: true }, { isAuthorized: true, context: {} }];
    const invoker = new FakeInvoker(() => json(answers.shift()));
    const authorizer = new LambdaAuthorizer({ invoker });
    const run = () => authorizer.authorize({ authorizer: config({ resultTtlSeconds: 0 }), request: capturedRequest(), routeArn: ARN, resource: "/lambda" });
    const denied = await run();
    assert.equal(!denied.allow && denied.status, 403);
    assert.deepEqual(await run(), { allow: true, context: { n: 1, b: true, list: [1], map: { k: "v" } }, cached: false });
    assert.deepEqual(await run(), { allow: true, context: null, cached: false });
    assert.deepEqual(await run(), { allow: true, context: {}, cached: false });
  });

  test("failures and malformed answers are 500, and are not cached", async () => {
    const outcomes: InvokeOutcome[] = [
      { ok: false, kind: "handler_error", message: "Unauthorized" },
      json({ isAuthorized: "false" }),
      { ok: true, payload: "not json" },
      json({ isAuthorized: true, context: "text" }),
      json({ principalId: "x" }),
      json({ isAuthorized: true }),
    ];
    const invoker = new FakeInvoker(() => outcomes.shift()!);
    const authorizer = new LambdaAuthorizer({ invoker });
    const statuses: Array<number | "allow"> = [];
    for (let i = 0; i < 6; i++) {
      const result = await authorizer.authorize({ authorizer: config(), request: capturedRequest(), routeArn: ARN, resource: "/lambda" });
      statuses.push(result.allow ? "allow" : result.status);
    }
    assert.deepEqual(statuses, [500, 500, 500, 500, 500, "allow"]);
    assert.equal(invoker.events.length, 6);
  });

  test("an authorizer that does not answer within the timeout is 500", async () => {
    const invoker = new FakeInvoker(() => new Promise<InvokeOutcome>(() => {}));
    const authorizer = new LambdaAuthorizer({ invoker, timeoutMs: 20 });
    const result = await authorizer.authorize({ authorizer: config(), request: capturedRequest(), routeArn: ARN, resource: "/lambda" });
    assert.equal(!result.allow && result.status, 500);
  });

  test("results are cached by identity-source values for the TTL, on any route, denials included", async () => {
    let clock = 1_000_000;
    const invoker: FakeInvoker = new FakeInvoker((event): InvokeOutcome => json({ isAuthorized: event.identitySource[0] !== "Bearer bad", context: { n: invoker.events.length } }));
    const authorizer = new LambdaAuthorizer({ invoker, now: () => clock });
    const run = (token: string, arn = ARN) => authorizer.authorize({ authorizer: config({ resultTtlSeconds: 300 }), request: withHeader("authorization", token), routeArn: arn, resource: "/x" });
    assert.deepEqual(await run("Bearer good"), { allow: true, context: { n: 1 }, cached: false });
    clock += 299_999;
    assert.deepEqual(await run("Bearer good", `${ARN}/other`), { allow: true, context: { n: 1 }, cached: true });
    assert.equal((await run("Bearer bad")).allow, false);
    assert.equal((await run("Bearer bad")).allow, false);
    assert.equal(invoker.events.length, 2);
    clock += 1;
    assert.deepEqual(await run("Bearer good"), { allow: true, context: { n: 3 }, cached: false });
  });

  test("a TTL of 0 invokes the function on every request", async () => {
    const invoker = new FakeInvoker(() => json({ isAuthorized: true }));
    const authorizer = new LambdaAuthorizer({ invoker });
    for (let i = 0; i < 3; i++) await authorizer.authorize({ authorizer: config({ resultTtlSeconds: 0 }), request: capturedRequest(), routeArn: ARN, resource: "/lambda" });
    assert.equal(invoker.events.length, 3);
  });

  test("an IAM policy is evaluated against each request's own route ARN, cached or not", async () => {
    const invoker = new FakeInvoker((event) =>
      json({
        principalId: "user-7",
        policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }] },
        context: { tier: "gold" },
      }),
    );
    const authorizer = new LambdaAuthorizer({ invoker });
    const v1 = config({ payloadFormatVersion: "1.0", enableSimpleResponses: false });
    const first = await authorizer.authorize({ authorizer: v1, request: capturedRequest(), routeArn: ARN, resource: "/lambda" });
    assert.deepEqual(first, { allow: true, context: { principalId: "user-7", tier: "gold" }, cached: false });
    const other = await authorizer.authorize({ authorizer: v1, request: capturedRequest(), routeArn: `${ARN}/2`, resource: "/lambda/{id}" });
    assert.equal(!other.allow && other.status, 403);
    assert.equal(invoker.events.length, 1);
  });

  test("a simple answer from a 1.0 authorizer is malformed (1.0 answers with policies only)", async () => {
    const invoker = new FakeInvoker(() => json({ isAuthorized: true }));
    const authorizer = new LambdaAuthorizer({ invoker });
    const result = await authorizer.authorize({ authorizer: config({ payloadFormatVersion: "1.0", enableSimpleResponses: false }), request: capturedRequest(), routeArn: ARN, resource: "/lambda" });
    assert.equal(!result.allow && result.status, 500);
  });

  test("a context key principalId wins over the policy's principalId", async () => {
    const invoker = new FakeInvoker(() => json({ principalId: "outer", policyDocument: { Statement: { Action: "*", Effect: "Allow", Resource: "*" } }, context: { principalId: "inner" } }));
    const result = await new LambdaAuthorizer({ invoker }).authorize({ authorizer: config(), request: capturedRequest(), routeArn: ARN, resource: "/lambda" });
    assert.deepEqual(result, { allow: true, context: { principalId: "inner" }, cached: false });
  });
});
