import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../src/app/load-config.js";
import { synthApp } from "../../src/app/synth-app.js";
import { stackApp, tempApp } from "../support/temp-app.js";

const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups) cleanup();
});

async function synthStack(body: string, extra: Record<string, string> = {}) {
  const app = stackApp(body, extra);
  cleanups.push(app.remove);
  return synthApp(loadConfig(app.root));
}

async function synthError(body: string, extra: Record<string, string> = {}): Promise<{ code: string; message: string }> {
  try {
    await synthStack(body, extra);
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail("expected the stacks to be refused");
}

describe("the walkthrough app", () => {
  test("synthesizes unchanged, with none of the SST or CDK packages installed", async () => {
    const app = tempApp();
    cleanups.push(app.remove);
    const { manifest, stackInputs } = await synthApp(loadConfig(app.root));
    assert.equal(manifest.stacks[0].name, "dev-api-auth-jwt-auth0-my-stack");
    assert.match(manifest.stacks[0].outputs.ApiEndpoint, /Token\[Gatehouse\.ApiUrl\.my-stack\/Api\]/);
    const [api] = manifest.apis;
    assert.deepEqual(
      api.routes.map((route) => [route.key, route.authorizationType, route.authorizerId]),
      [
        ["GET /private", "JWT", "Authorizer"],
        ["GET /public", "NONE", null],
      ],
    );
    assert.deepEqual(api.authorizers.Authorizer, {
      id: "Authorizer",
      type: "JWT",
      issuer: "https://myorg.us.auth0.com/",
      audience: ["UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif"],
      identitySource: "$request.header.Authorization",
    });
    assert.deepEqual(api.cors?.allowOrigins, ["*"]);
    const fn = manifest.functions[api.routes[0].functionId];
    assert.equal(fn.handler, "src/private.main");
    assert.equal(fn.timeout, 10);
    assert.equal(fn.memorySize, 1024);
    assert.ok(stackInputs.some((file) => file.endsWith("stacks/MyStack.js")));
    assert.equal(JSON.stringify(JSON.parse(JSON.stringify(manifest))), JSON.stringify(manifest), "the manifest is plain JSON");
  });

  test("notes nodejs14.x once instead of silently changing behaviour", async () => {
    const app = tempApp();
    cleanups.push(app.remove);
    const { manifest } = await synthApp(loadConfig(app.root));
    assert.deepEqual(
      manifest.notices.filter((notice) => notice.includes("nodejs14.x")).length,
      1,
    );
  });

  test("--stage renames the stacks", async () => {
    const app = tempApp();
    cleanups.push(app.remove);
    const { manifest } = await synthApp(loadConfig(app.root, { stage: "prod" }));
    assert.equal(manifest.stacks[0].name, "prod-api-auth-jwt-auth0-my-stack");
    assert.equal(manifest.app.stage, "prod");
  });
});

describe("routes and functions", () => {
  test("route values: string, function props, and route props with defaults", async () => {
    const { manifest } = await synthStack(`
      this.setDefaultFunctionProps({ environment: { FROM_STACK: "1" } });
      new sst.Api(this, "Api", {
        defaultFunctionProps: { timeout: 20, environment: { FROM_API: "2" } },
        routes: {
          "GET /a": "src/hello.main",
          "POST /b/{id}": { handler: "src/hello.main", memorySize: 256 },
          "ANY /{proxy+}": { function: { handler: "src/hello.main", timeout: sst.Duration ? 5 : 5 } },
          "$default": "src/hello.main",
        },
      });`);
    const [api] = manifest.apis;
    assert.deepEqual(api.routes.map((route) => route.key), ["GET /a", "POST /b/{id}", "ANY /{proxy+}", "$default"]);
    const fns = api.routes.map((route) => manifest.functions[route.functionId]);
    assert.deepEqual(fns.map((fn) => fn.timeout), [20, 20, 5, 20]);
    assert.equal(fns[1].memorySize, 256);
    assert.deepEqual(fns[0].environment, { FROM_STACK: "1", FROM_API: "2" });
  });

  test("addRoutes after construction and api.url in a function environment", async () => {
    const { manifest } = await synthStack(`
      const api = new sst.Api(this, "Api", { routes: { "GET /a": "src/hello.main" } });
      api.addRoutes(this, { "GET /b": { function: { handler: "src/hello.main", environment: { URL: api.url } } } });
      this.addOutputs({ Url: api.url, Plain: "text" });`);
    assert.deepEqual(manifest.apis[0].routes.map((route) => route.key), ["GET /a", "GET /b"]);
    const fn = manifest.functions[manifest.apis[0].routes[1].functionId];
    assert.match(fn.environment.URL, /Token\[Gatehouse\.ApiUrl/);
    assert.equal(manifest.stacks[0].outputs.Plain, "text");
  });

  test("TypeScript stacks and handlers", async () => {
    const app = tempApp({
      "sst.json": JSON.stringify({ name: "ts-app", region: "eu-west-1" }),
      "stacks/index.ts": `import { App } from "@serverless-stack/resources";\nimport { ApiStack } from "./ApiStack";\nexport default function main(app: App): void { new ApiStack(app, "api"); }\n`,
      "stacks/ApiStack.ts": `import * as sst from "@serverless-stack/resources";\nexport class ApiStack extends sst.Stack {\n  constructor(scope: sst.App, id: string) {\n    super(scope, id);\n    const api: sst.Api = new sst.Api(this, "Api", { routes: { "GET /": "src/lambda.handler" } });\n    this.addOutputs({ ApiEndpoint: api.url });\n  }\n}\n`,
      "src/lambda.ts": `export const handler = async (): Promise<string> => "ok";\n`,
    });
    cleanups.push(app.remove);
    const { manifest } = await synthApp(loadConfig(app.root));
    assert.equal(manifest.stacks[0].name, "dev-ts-app-api");
    assert.equal(manifest.app.region, "eu-west-1");
    assert.ok(Object.values(manifest.functions)[0].entry.endsWith("src/lambda.ts"));
  });

  test("routes whose keys differ only in punctuation get functions of their own", async () => {
    const { manifest } = await synthStack(`new sst.Api(this, "Api", { routes: {
      "GET /a-b": "src/hello.main", "GET /a_b": "src/hello.main", "GET /n/{id}": "src/hello.main", "GET /n/id": "src/hello.main" } });`);
    const ids = manifest.apis[0].routes.map((route) => route.functionId);
    assert.equal(new Set(ids).size, 4);
  });

  test("SST 1.x named authorizers and per-route 'none'", async () => {
    const { manifest } = await synthStack(`
      new sst.Api(this, "Api", {
        authorizers: { auth0: { type: "jwt", jwt: { issuer: "https://x.example/", audience: ["a"] } } },
        defaults: { authorizer: "auth0", authorizationScopes: ["read"] },
        routes: { "GET /private": "src/hello.main", "GET /public": { function: "src/hello.main", authorizer: "none" } },
      });`);
    const routes = manifest.apis[0].routes;
    assert.deepEqual(
      routes.map((route) => [route.authorizationType, route.authorizerId, route.authorizationScopes]),
      [
        ["JWT", "auth0", ["read"]],
        ["NONE", null, []],
      ],
    );
  });
});

describe("what a cloud target reads from the manifest", () => {
  test("stack ids, runtime (SST's default nodejs12.x), relative entries, log retention, locations", async () => {
    const { manifest } = await synthStack(`
      const api = new sst.Api(this, "Api", { routes: { "GET /a": "src/hello.main", "GET /b": { function: { handler: "src/hello.main", runtime: "nodejs22.x", logRetention: 14 } } } });
      this.addOutputs({ ApiEndpoint: api.url, Second: "two" });
    `);
    const [a, b] = manifest.apis[0].routes.map((route) => manifest.functions[route.functionId]);
    assert.deepEqual(manifest.apis[0].routes.map((route) => route.stackId), ["test-stack", "test-stack"]);
    assert.equal(a.stackId, "test-stack");
    assert.equal(a.constructId, "Lambda_GET_/a");
    assert.equal(a.entry, "src/hello.js");
    assert.equal(a.runtime, "nodejs12.x");
    assert.equal(a.logRetentionDays, null);
    assert.equal(b.runtime, "nodejs22.x");
    assert.equal(b.logRetentionDays, 14);
    assert.match(a.location ?? "", /^stacks\/index\.js:\d+$/);
    assert.match(manifest.stacks[0].location ?? "", /^stacks\/index\.js:\d+$/);
    assert.deepEqual(Object.keys(manifest.stacks[0].outputs), ["ApiEndpoint", "Second"]);
  });

  test("permissions: defaults concatenate, attachPermissions reaches later routes, statements and tables become data, \"*\" wins", async () => {
    const { manifest } = await synthStack(`
      const api = new sst.Api(this, "Api", {
        defaultFunctionProps: { permissions: ["sns"] },
        routes: { "GET /a": "src/hello.main" },
      });
      api.attachPermissions(["s3:GetObject", new sst.PolicyStatement({ effect: "Deny", actions: ["s3:DeleteObject"], resources: ["arn:aws:s3:::b/*"] })]);
      api.addRoutes(this, { "GET /b": "src/hello.main", "GET /c": { function: { handler: "src/hello.main", permissions: "*" } } });
      api.attachPermissionsToRoute("GET /a", [{ tableName: "t", tableArn: "arn:aws:dynamodb:::table/t" }, { name: "no arn" }]);
    `);
    const [a, b, c] = manifest.apis[0].routes.map((route) => manifest.functions[route.functionId].permissions);
    const deny = { effect: "Deny", actions: ["s3:DeleteObject"], resources: ["arn:aws:s3:::b/*"] };
    // A table grants every DynamoDB action on it and its indexes, as SST does; a value with no ARN has no form.
    const table = { effect: "Allow", actions: ["dynamodb:*"], resources: ["arn:aws:dynamodb:::table/t", "arn:aws:dynamodb:::table/t/*"] };
    assert.deepEqual(a, ["sns", "s3:GetObject", deny, table, { unsupported: "{ name }" }]);
    assert.deepEqual(b, ["sns", "s3:GetObject", deny]);
    assert.deepEqual(c, ["*"]);
  });
});

describe("invalid config fails before serving, naming the file, the construct and the fix", () => {
  test("a route key with a trailing slash", async () => {
    const err = await synthError(`new sst.Api(this, "Api", { routes: { "GET /a/": "src/hello.main" } });`);
    assert.equal(err.code, "GH_ERR_ROUTE_INVALID");
    assert.match(err.message, /^stacks\/index\.js:\d+: Api "Api" route "GET \/a\/": invalid route key "GET \/a\/": invalid route name ending in \//);
    assert.match(err.message, /Fix:/);
  });

  test("an unknown method and a variable that is not a whole segment", async () => {
    assert.equal((await synthError(`new sst.Api(this, "Api", { routes: { "FETCH /a": "src/hello.main" } });`)).code, "GH_ERR_ROUTE_INVALID");
    const err = await synthError(`new sst.Api(this, "Api", { routes: { "GET /a/x{id}": "src/hello.main" } });`);
    assert.match(err.message, /must take a whole segment/);
    const greedy = await synthError(`new sst.Api(this, "Api", { routes: { "GET /{p+}/x": "src/hello.main" } });`);
    assert.match(greedy.message, /must be the last segment/);
  });

  test("a handler file that does not exist", async () => {
    const err = await synthError(`new sst.Api(this, "Api", { routes: { "GET /a": "src/nope.main" } });`);
    assert.equal(err.code, "GH_ERR_HANDLER_NOT_FOUND");
    assert.match(err.message, /stacks\/index\.js:\d+: Api "Api" route "GET \/a": handler "src\/nope\.main" points to src\/nope/);
  });

  test("a JWT route with no authorizer", async () => {
    const err = await synthError(`new sst.Api(this, "Api", { defaultAuthorizationType: sst.ApiAuthorizationType.JWT, routes: { "GET /a": "src/hello.main" } });`);
    assert.equal(err.code, "GH_ERR_AUTHORIZER_MISSING");
    assert.match(err.message, /Fix: set defaultAuthorizer/);
  });

  test("a duplicate route (the same key again through addRoutes)", async () => {
    const err = await synthError(`const api = new sst.Api(this, "Api", { routes: { "GET /a": "src/hello.main" } }); api.addRoutes(this, { "GET /a": "src/hello.main" });`);
    assert.equal(err.code, "GH_ERR_ROUTE_DUPLICATE");
  });

  test("more than 10 scopes on a route and more than 50 audiences", async () => {
    const scopes = JSON.stringify(Array.from({ length: 11 }, (_, i) => `s${i}`));
    const auth = `new authorizers.HttpJwtAuthorizer("A", "https://x.example/", { jwtAudience: ["a"] })`;
    const err = await synthError(`new sst.Api(this, "Api", { defaultAuthorizer: ${auth}, defaultAuthorizationType: "JWT", routes: { "GET /a": { function: "src/hello.main", authorizationScopes: ${scopes} } } });`);
    assert.match(err.message, /at most 10/);
    const audiences = JSON.stringify(Array.from({ length: 51 }, (_, i) => `a${i}`));
    const many = await synthError(`new sst.Api(this, "Api", { defaultAuthorizer: new authorizers.HttpJwtAuthorizer("A", "https://x.example/", { jwtAudience: ${audiences} }), defaultAuthorizationType: "JWT", routes: { "GET /a": "src/hello.main" } });`);
    assert.match(many.message, /at most 50/);
  });

  test("a syntax error in a stack names file and line", async () => {
    const err = await synthError(`const x = ;`);
    assert.equal(err.code, "GH_ERR_STACKS_BUILD_FAILED");
    assert.match(err.message, /stacks\/index\.js:\d+:\d+: error:/);
  });

  test("sst.json problems", () => {
    const app = tempApp({ "sst.json": JSON.stringify({ name: "has space" }), "stacks/index.js": "export default function main() {}" });
    cleanups.push(app.remove);
    assert.throws(() => loadConfig(app.root), (err: { code: string; message: string }) => err.code === "GH_ERR_CONFIG_INVALID" && /sst\.json: "name"/.test(err.message));
    assert.throws(() => loadConfig("/"), (err: { code: string }) => err.code === "GH_ERR_CONFIG_NOT_FOUND");
  });
});

describe("stacks that never finish or exit the process", () => {
  async function synthWith(stacksIndex: string, timeoutMs: number) {
    const app = stackApp("");
    cleanups.push(app.remove);
    app.write("stacks/index.js", stacksIndex);
    try {
      await synthApp(loadConfig(app.root), { timeoutMs });
    } catch (err) {
      return err as { code: string; message: string };
    }
    assert.fail("expected the stacks to be refused");
  }

  test("a main that never settles is refused with a coded error naming the entry", async () => {
    const err = await synthWith(`export default function main(app) { return new Promise(() => {}); }\n`, 50);
    assert.equal(err.code, "GH_ERR_STACKS_RUN_FAILED");
    assert.ok(err.message.includes("stacks/index.js"), err.message);
  });

  test("a stacks module whose loading never finishes is refused the same way", async () => {
    const err = await synthWith(`await new Promise(() => {});\nexport default function main() {}\n`, 50);
    assert.equal(err.code, "GH_ERR_STACKS_RUN_FAILED");
    assert.ok(err.message.includes("stacks/index.js"), err.message);
  });

  for (const [name, body] of [
    ["synchronously", "process.exit(0);"],
    ["from a timer", "return new Promise(() => setTimeout(() => process.exit(0), 5));"],
  ]) {
    test(`process.exit called ${name} is a coded error, and this process lives on`, async () => {
      const realExit = process.exit;
      const err = await synthWith(`export default function main(app) { ${body} }\n`, 5_000);
      assert.equal(err.code, "GH_ERR_STACKS_RUN_FAILED");
      assert.ok(err.message.includes("stacks/index.js"), err.message);
      assert.equal(process.exit, realExit, "the real process.exit is back");
    });
  }
});
