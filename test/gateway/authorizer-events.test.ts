import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { createGateway } from "../../src/gateway/gateway.js";
import { memoryLogger } from "../../src/log.js";
import type { ApiManifest, RouteManifest } from "../../src/manifest/manifest.js";
import { header, InProcessInvoker, request, TokenTableAuthorizer, type TestHandler } from "./in-process.js";

const FIXTURES = new URL("./fixtures/apigw/", import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8"));

const KEY = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

function routeOf(key: string, functionId: string, authorizationType: RouteManifest["authorizationType"], authorizerId: string | null = null): RouteManifest {
  const [method, path] = key.split(" ");
  return { key, method: method as RouteManifest["method"], path, functionId, stackId: "S", authorizationType, authorizerId, authorizationScopes: [] };
}

function setup(handlers: Record<string, TestHandler>) {
  const api: ApiManifest = {
    id: "S/Api",
    constructId: "Api",
    stackId: "S",
    routes: [routeOf("POST /lambda", "echo", "CUSTOM", "lambda"), routeOf("POST /iam", "echo", "AWS_IAM")],
    authorizers: {
      lambda: { id: "lambda", type: "REQUEST", functionId: "authorizer", payloadFormatVersion: "2.0", enableSimpleResponses: true, identitySource: ["$request.header.Authorization"], resultTtlSeconds: 0 },
    },
    cors: null,
  };
  const invoker = new InProcessInvoker({ echo: () => ({ statusCode: 200, body: "ok" }), ...handlers });
  const gateway = createGateway({
    api,
    invoker,
    authorizer: new TokenTableAuthorizer({}),
    logger: memoryLogger(),
    region: "eu-west-1",
    iamCredentials: (id) => (id === KEY.accessKeyId ? { ...KEY, userArn: "arn:aws:iam::123456789012:user/alice", userId: "AIDAEXAMPLEALICE0001" } : undefined),
  });
  return { gateway, invoker };
}

/** Keys in order, nested objects included, so two events can be compared shape for shape. */
function shape(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return typeof value;
  return Object.entries(value).map(([key, inner]) => [key, key === "headers" ? "object" : shape(inner)]);
}

describe("the events around a Lambda authorizer, against captured ones", () => {
  test("the authorizer gets the 2.0 authorizer event and the route the integration event with authorizer.lambda null", async () => {
    const { gateway, invoker } = setup({ authorizer: () => ({ isAuthorized: true }) });
    const response = await gateway.handle(request("POST", "/lambda", ["Authorization", "Bearer foo"]));
    assert.equal(response.statusCode, 200);
    const [authorizerCall, routeCall] = invoker.calls;
    assert.deepEqual(shape(authorizerCall.event), shape(fixture("powertools-ts_apigw-http-authorizer-request-v2.json")));
    assert.match(authorizerCall.event.routeArn, /^arn:aws:execute-api:eu-west-1:123456789012:[a-z0-9]{10}\/\$default\/POST\/lambda$/);
    assert.deepEqual(authorizerCall.event.identitySource, ["Bearer foo"]);
    assert.deepEqual(shape(routeCall.event), shape(fixture("powertools-ts_apigw-http-lambda-authorizer-no-context.json")));
    assert.deepEqual(routeCall.event.requestContext.authorizer, { lambda: null });
    assert.equal(routeCall.event.requestContext.requestId, authorizerCall.event.requestContext.requestId);
    assert.equal(routeCall.event.headers["x-amzn-trace-id"], authorizerCall.event.headers["x-amzn-trace-id"]);
  });

  test("a throwing authorizer is 500 and the route is not invoked", async () => {
    const { gateway, invoker } = setup({
      authorizer: () => {
        throw new Error("Unauthorized");
      },
    });
    const response = await gateway.handle(request("POST", "/lambda", ["Authorization", "Bearer foo"]));
    assert.deepEqual([response.statusCode, response.body.toString()], [500, '{"message":"Internal Server Error"}']);
    assert.deepEqual(invoker.calls.map((call) => call.functionId), ["authorizer"]);
  });
});

describe("the event of an AWS_IAM route, against the captured one", () => {
  test("authorizer.iam sits where AWS puts it, and the SigV4 headers are passed on", async () => {
    const { gateway, invoker } = setup({});
    const signer = new SignatureV4({ credentials: KEY, region: "eu-west-1", service: "execute-api", sha256: Hash.bind(null, "sha256") });
    const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 3000, path: "/iam", query: {}, headers: { host: "127.0.0.1:3000" } });
    const headers = Object.entries(signed.headers).flatMap(([name, value]) => (name === "host" ? [] : [name, String(value)]));
    const response = await gateway.handle(request("POST", "/iam", headers));
    assert.equal(response.statusCode, 200);
    const event = invoker.calls[0].event;
    const captured = fixture("powertools-ts_apigw-http-iam-auth.json");
    assert.deepEqual(Object.keys(event.requestContext), Object.keys(captured.requestContext));
    assert.deepEqual(Object.keys(event.requestContext.authorizer.iam), Object.keys(captured.requestContext.authorizer.iam));
    for (const name of ["authorization", "x-amz-date", "x-amz-content-sha256"]) assert.ok(name in event.headers, `${name} passed on`);
  });

  test("an unsigned request is 403 with x-amzn-ErrorType, and the route is not invoked", async () => {
    const { gateway, invoker } = setup({});
    const response = await gateway.handle(request("POST", "/iam"));
    assert.deepEqual([response.statusCode, response.body.toString(), header(response, "x-amzn-errortype")], [403, '{"message":"Missing Authentication Token"}', "MissingAuthenticationTokenException"]);
    assert.equal(invoker.calls.length, 0);
  });
});
