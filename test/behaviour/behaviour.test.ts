import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Template } from "aws-cdk-lib/assertions";
import { makeKey, signToken, startTestIssuer, type TestIssuer, type TestKey } from "../auth/test-issuer.js";
import { logicalIdOf, synthesize } from "../aws/synth-support.js";
import { type CliProcess, startCli } from "../support/cli-process.js";
import { endpointIn, isolatedHost } from "../support/host-env.js";
import { tempApp } from "../support/temp-app.js";
import { AUDIENCE, AWS_ISSUER, behaviourAppFiles, FUNCTIONS, ROUTES } from "./behaviour-app.js";

let issuer: TestIssuer;
let key: TestKey;
let app: ReturnType<typeof tempApp>;

before(async () => {
  key = await makeKey("behaviour");
  issuer = await startTestIssuer([key]);
  app = tempApp(behaviourAppFiles(issuer.issuer));
});
after(async () => {
  await issuer.close();
  app.remove();
});

async function token(scope?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signToken(key, { iss: issuer.issuer, aud: AUDIENCE, sub: "user-1", iat: now - 5, exp: now + 600, ...(scope ? { scope } : {}) });
}

/** The same HTTP expectations for every backend that serves requests (dev, host). */
function httpSuite(endpoint: () => string): void {
  for (const route of ROUTES) {
    test(`${route.key}: ${route.authorization}${route.scopes.length ? ` with scopes ${route.scopes.join(" ")}` : ""}`, async () => {
      const url = `${endpoint()}${route.path}`;
      const authorized = { authorization: `Bearer ${await token(route.scopes.join(" ") || undefined)}` };
      if (route.authorization === "JWT") {
        assert.equal((await fetch(url, { method: route.method })).status, 401, "no token");
        if (route.scopes.length > 0) {
          const unscoped = await fetch(url, { method: route.method, headers: { authorization: `Bearer ${await token("other:scope")}` } });
          assert.equal(unscoped.status, 403, "a token without the scope");
        }
      }
      const response = await fetch(url, { method: route.method, headers: route.authorization === "JWT" ? authorized : {} });
      assert.equal(response.status, 200);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.routeKey, route.key);
      assert.equal(body.sub, route.authorization === "JWT" ? "user-1" : null);
      if (route.proxy) assert.equal(body.proxy, route.proxy);
      const fn = FUNCTIONS[route.fn];
      assert.equal(body.memory, String(fn.memorySize));
      assert.equal(body.shared, fn.environment.SHARED);
      assert.equal(body.greeting, fn.environment.GREETING ?? null);
      // The remaining time starts at the function's timeout: above the 10 s default only when it was raised.
      assert.ok((body.remainingMs as number) <= fn.timeout * 1000);
      if (fn.timeout > 10) assert.ok((body.remainingMs as number) > 10_000, `remaining ${body.remainingMs} ms`);
    });
  }
}

describe("behaviour: the dev gateway", () => {
  let dev: CliProcess;
  let endpoint = "";
  before(async () => {
    dev = startCli(["dev", "--port", "0", "--idp-port", "0"], app.root);
    endpoint = (await dev.waitFor(/ApiEndpoint: (http:\/\/127\.0\.0\.1:\d+)/, 60_000))[1];
  });
  after(async () => {
    await dev?.stop();
  });
  httpSuite(() => endpoint);
});

describe("behaviour: the host (deploy --stage host)", () => {
  const host = isolatedHost();
  let endpoint = "";
  before(async () => {
    const deploy = await host.run(["deploy", "--stage", "host"], app.root);
    assert.equal(deploy.code, 0, deploy.out);
    endpoint = endpointIn(deploy.out);
  });
  after(() => host.cleanup());
  httpSuite(() => endpoint);
});

describe("behaviour: the synthesized AWS template (synth --stage aws)", () => {
  let template: Template;
  let json: Record<string, unknown>;
  before(async () => {
    // Synthesis is offline (no AWS SDK call); the variable is set so nothing could reach for instance metadata.
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    ({ template, json } = await synthesize(app.root, "aws"));
  });

  test("the JWT authorizer names the app's issuer and audience", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", { AuthorizerType: "JWT", JwtConfiguration: { Issuer: AWS_ISSUER, Audience: [AUDIENCE] } });
  });

  for (const route of ROUTES) {
    test(`${route.key}: ${route.authorization}${route.scopes.length ? ` with scopes ${route.scopes.join(" ")}` : ""}`, () => {
      const resources = json.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
      const routeId = logicalIdOf(json, "AWS::ApiGatewayV2::Route", (props) => props.RouteKey === route.key);
      const props = resources[routeId].Properties;
      assert.equal(props.AuthorizationType, route.authorization);
      assert.deepEqual(props.AuthorizationScopes ?? [], route.scopes);
      assert.equal(props.AuthorizerId !== undefined, route.authorization === "JWT");
      // Route → integration → function: the function has the expected settings.
      const integrationId = props.Target["Fn::Join"][1][1].Ref as string;
      const functionId = resources[integrationId].Properties.IntegrationUri["Fn::GetAtt"][0] as string;
      const fn = resources[functionId].Properties;
      const expected = FUNCTIONS[route.fn];
      assert.equal(fn.Description, expected.handler);
      assert.equal(fn.Timeout, expected.timeout);
      assert.equal(fn.MemorySize, expected.memorySize);
      for (const [name, value] of Object.entries(expected.environment)) assert.equal(fn.Environment.Variables[name], value);
      const permitted = Object.values(resources).some(
        (resource) => resource.Type === "AWS::Lambda::Permission" && resource.Properties.FunctionName?.["Fn::GetAtt"]?.[0] === functionId,
      );
      assert.ok(permitted, "API Gateway may invoke the function");
    });
  }
});
