import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../src/app/load-config.js";
import { synthApp } from "../../src/app/synth-app.js";
import type { ApiManifest } from "../../src/manifest/manifest.js";
import { stackApp } from "../support/temp-app.js";

const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups) cleanup();
});

const AUTHORIZER_SOURCE = { "src/auth.js": "export async function handler() { return { isAuthorized: true }; }\n" };

async function synthApi(body: string): Promise<ApiManifest> {
  const app = stackApp(body, AUTHORIZER_SOURCE);
  cleanups.push(app.remove);
  const { manifest } = await synthApp(loadConfig(app.root));
  return manifest.apis[0];
}

async function synthError(body: string): Promise<string> {
  try {
    await synthApi(body);
  } catch (err) {
    return (err as { code: string }).code;
  }
  assert.fail("expected the stacks to be refused");
}

const routesOf = (api: ApiManifest) => api.routes.map((route) => [route.key, route.authorizationType, route.authorizerId]);

describe("Lambda authorizers in stacks", () => {
  test("CDK's HttpLambdaAuthorizer defaults: payload 1.0, IAM answers, Authorization header, 300 s cache", async () => {
    const api = await synthApi(`
      const fn = new sst.Function(this, "AuthFn", { handler: "src/auth.handler" });
      new sst.Api(this, "Api", {
        defaultAuthorizationType: sst.ApiAuthorizationType.CUSTOM,
        defaultAuthorizer: new authorizers.HttpLambdaAuthorizer("Lambda", fn),
        routes: { "GET /a": "src/hello.main", "GET /b": { function: "src/hello.main", authorizationType: "NONE" } },
      });`);
    assert.deepEqual(routesOf(api), [
      ["GET /a", "CUSTOM", "Lambda"],
      ["GET /b", "NONE", null],
    ]);
    assert.deepEqual(api.authorizers.Lambda, {
      id: "Lambda",
      type: "REQUEST",
      functionId: "test-stack-AuthFn",
      payloadFormatVersion: "1.0",
      enableSimpleResponses: false,
      identitySource: ["$request.header.Authorization"],
      resultTtlSeconds: 300,
    });
  });

  test("asking for simple responses switches to payload 2.0; the CDK v1 props form is read too", async () => {
    const api = await synthApi(`
      const fn = new sst.Function(this, "AuthFn", { handler: "src/auth.handler" });
      const simple = new authorizers.HttpLambdaAuthorizer("Simple", fn, {
        responseTypes: [authorizers.HttpLambdaResponseType.SIMPLE], resultsCacheTtl: sst.Duration.seconds(0),
        identitySource: ["$request.header.X-Api-Key", "$context.routeKey"],
      });
      const v1 = new authorizers.HttpLambdaAuthorizer({ authorizerName: "Old", handler: fn, resultsCacheTtl: sst.Duration.minutes(2) });
      new sst.Api(this, "Api", {
        defaultAuthorizationType: "CUSTOM",
        defaultAuthorizer: simple,
        routes: { "GET /a": "src/hello.main", "GET /b": { function: "src/hello.main", authorizer: v1 } },
      });`);
    const simple = api.authorizers.Simple;
    assert.equal(simple.type, "REQUEST");
    assert.deepEqual(simple.type === "REQUEST" && [simple.payloadFormatVersion, simple.enableSimpleResponses, simple.resultTtlSeconds, simple.identitySource], [
      "2.0",
      true,
      0,
      ["$request.header.X-Api-Key", "$context.routeKey"],
    ]);
    const old = api.authorizers.Old;
    assert.deepEqual(old.type === "REQUEST" && [old.payloadFormatVersion, old.resultTtlSeconds], ["1.0", 120]);
  });

  test("SST 1.x named authorizers: lambda, user_pool, iam and jwt decide each route's type", async () => {
    const api = await synthApi(`
      new sst.Api(this, "Api", {
        authorizers: {
          custom: { type: "lambda", function: "src/auth.handler", responseTypes: ["simple"] },
          pool: { type: "user_pool", userPool: { id: "eu-west-1_y0bLG4i27", clientIds: ["3nkoep4151b7umeggnottc30u9"] } },
          signed: { type: "iam" },
        },
        routes: {
          "GET /custom": { function: "src/hello.main", authorizer: "custom" },
          "GET /pool": { function: "src/hello.main", authorizer: "pool" },
          "GET /signed": { function: "src/hello.main", authorizer: "signed" },
          "GET /open": "src/hello.main",
        },
      });`);
    assert.deepEqual(routesOf(api), [
      ["GET /custom", "CUSTOM", "custom"],
      ["GET /pool", "JWT", "pool"],
      ["GET /signed", "AWS_IAM", null],
      ["GET /open", "NONE", null],
    ]);
    const custom = api.authorizers.custom;
    assert.deepEqual(custom.type === "REQUEST" && [custom.payloadFormatVersion, custom.enableSimpleResponses, custom.resultTtlSeconds], ["2.0", true, 0]);
    assert.deepEqual(api.authorizers.pool, {
      id: "pool",
      type: "JWT",
      issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_y0bLG4i27",
      audience: ["3nkoep4151b7umeggnottc30u9"],
      identitySource: "$request.header.Authorization",
    });
  });

  test("a CUSTOM route with a JWT authorizer, or an unknown type, is refused", async () => {
    const jwt = `new authorizers.HttpJwtAuthorizer("Jwt", "https://myorg.us.auth0.com/", { jwtAudience: ["a"] })`;
    assert.equal(await synthError(`new sst.Api(this, "Api", { defaultAuthorizationType: "CUSTOM", defaultAuthorizer: ${jwt}, routes: { "GET /a": "src/hello.main" } });`), "GH_ERR_AUTHORIZER_INVALID");
    assert.equal(await synthError(`new sst.Api(this, "Api", { defaultAuthorizationType: "COGNITO", routes: { "GET /a": "src/hello.main" } });`), "GH_ERR_AUTHORIZER_INVALID");
    assert.equal(await synthError(`new sst.Api(this, "Api", { defaultAuthorizationType: "CUSTOM", routes: { "GET /a": "src/hello.main" } });`), "GH_ERR_AUTHORIZER_MISSING");
  });
});

describe("AWS_IAM routes", () => {
  test("defaultAuthorizationType AWS_IAM and HttpIamAuthorizer need no authorizer entry", async () => {
    const api = await synthApi(`
      new sst.Api(this, "Api", {
        defaultAuthorizationType: sst.ApiAuthorizationType.AWS_IAM,
        routes: {
          "GET /a": "src/hello.main",
          "GET /b": { function: "src/hello.main", authorizationType: "NONE" },
          "GET /c": { function: "src/hello.main", authorizationType: "NONE", authorizer: new authorizers.HttpIamAuthorizer() },
        },
      });`);
    assert.deepEqual(routesOf(api), [
      ["GET /a", "AWS_IAM", null],
      ["GET /b", "NONE", null],
      ["GET /c", "NONE", null],
    ]);
    assert.deepEqual(api.authorizers, {});
  });
});

describe("Cognito user pool authorizers", () => {
  test("literal pool and client ids give the pool's Cognito issuer and the clients as audience", async () => {
    const api = await synthApi(`
      new sst.Api(this, "Api", {
        defaultAuthorizationType: "JWT",
        defaultAuthorizer: new authorizers.HttpUserPoolAuthorizer("Pool", { userPoolId: "us-east-1_AbCdEf123" }, {
          userPoolClients: [{ userPoolClientId: "1example23456789" }, "abcdefghij0123456789klmnop"],
        }),
        routes: { "GET /a": "src/hello.main" },
      });`);
    assert.deepEqual(api.authorizers.Pool, {
      id: "Pool",
      type: "JWT",
      issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
      audience: ["1example23456789", "abcdefghij0123456789klmnop"],
      identitySource: "$request.header.Authorization",
    });
  });

  test("token-valued ids get stable local stand-ins shaped like Cognito's, the same on every synth", async () => {
    const body = `
      const pool = { userPoolId: "\${Token[TOKEN.412]}", node: { path: "test-stack/Pool" } };
      const client = { userPoolClientId: "\${Token[TOKEN.418]}", node: { path: "test-stack/Pool/Client" } };
      new sst.Api(this, "Api", {
        defaultAuthorizationType: "JWT",
        defaultAuthorizer: new authorizers.HttpUserPoolAuthorizer({ userPool: pool, userPoolClient: client, authorizerName: "V1" }),
        routes: { "GET /a": "src/hello.main" },
      });`;
    const [first, second] = [await synthApi(body), await synthApi(body)];
    const authorizer = first.authorizers.V1;
    assert.equal(authorizer.type, "JWT");
    if (authorizer.type !== "JWT") return;
    assert.match(authorizer.issuer, /^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_[0-9A-Za-z]{9}$/);
    assert.match(authorizer.audience[0], /^[0-9a-z]{26}$/);
    assert.deepEqual(second.authorizers.V1, authorizer);
  });

  test("sst.Auth with cognito hands out a pool and client the authorizer reads", async () => {
    const api = await synthApi(`
      const auth = new sst.Auth(this, "Auth", { cognito: true });
      new sst.Api(this, "Api", {
        defaultAuthorizationType: "JWT",
        defaultAuthorizer: new authorizers.HttpUserPoolAuthorizer("Pool", auth.cognitoUserPool, { userPoolClients: [auth.cognitoUserPoolClient] }),
        routes: { "GET /a": "src/hello.main" },
      });
      this.addOutputs({ PoolId: auth.cognitoUserPool.userPoolId });`);
    const authorizer = api.authorizers.Pool;
    assert.equal(authorizer.type, "JWT");
    if (authorizer.type === "JWT") assert.match(authorizer.issuer, /^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_[0-9A-Za-z]+$/);
  });
});
