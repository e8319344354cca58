/**
 * A fully self-hosted stage: the app declares its own identity tenant with `Auth`, deploys it to the host, a
 * person signs up through the tenant's login page in a browser, and the token opens the private route.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { chromiumMissing, launchChromium } from "../support/chromium.js";
import { endpointIn, isolatedHost } from "../support/host-env.js";
import { tempApp } from "../support/temp-app.js";

const skip = chromiumMissing;

const STACK = `import * as apigAuthorizers from "@aws-cdk/aws-apigatewayv2-authorizers-alpha";
import * as sst from "@serverless-stack/resources";

export default class MyStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const auth = new sst.Auth(this, "Auth", {
      applications: [{ name: "web", callbackUrls: ["http://localhost:5678"] }],
    });
    const api = new sst.Api(this, "Api", {
      defaultAuthorizer: new apigAuthorizers.HttpJwtAuthorizer("Authorizer", auth.issuer, {
        jwtAudience: [auth.clientId("web")],
      }),
      defaultAuthorizationType: sst.ApiAuthorizationType.JWT,
      routes: {
        "GET /private": "src/private.main",
        "GET /public": { function: "src/public.main", authorizationType: sst.ApiAuthorizationType.NONE },
      },
    });
    this.addOutputs({ ApiEndpoint: api.url, Issuer: auth.issuer, ClientId: auth.clientId("web") });
  }
}
`;

describe("a self-hosted stage with its own Auth tenant", { skip }, () => {
  const host = isolatedHost();
  const app = tempApp();
  let browser: Browser;
  let endpoint: string;
  let issuer: string;
  let clientId: string;

  before(async () => {
    app.write("stacks/MyStack.js", STACK);
    app.write(
      "src/private.js",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the handler's source, with its own template literal
      "export async function main(event) {\n  return { statusCode: 200, body: `Hello ${event.requestContext.authorizer.jwt.claims.sub}!` };\n}\n",
    );
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await host.cleanup();
    app.remove();
  });

  test("deploy prints the tenant's issuer as an output", async () => {
    const deploy = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(deploy.code, 0, deploy.out);
    endpoint = endpointIn(deploy.out);
    issuer = /Issuer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(deploy.out)![1];
    clientId = /ClientId: (\w{32})/.exec(deploy.out)![1];
  });

  async function logIn(email: string, password: string, signUp: boolean): Promise<string> {
    const page = await browser.newPage();
    try {
      const state = "self-hosted";
      await page.goto(`${issuer}authorize?response_type=code&client_id=${clientId}&redirect_uri=http://localhost:5678&scope=openid%20profile&state=${state}`);
      if (signUp) await page.click("text=Sign up");
      await page.fill("#email", email);
      await page.fill("#password", password);
      const reached = page.waitForRequest((request) => request.url().startsWith("http://localhost:5678"));
      await page.click("button[type=submit]");
      const callback = new URL((await reached).url());
      assert.equal(callback.searchParams.get("state"), state);
      return callback.searchParams.get("code")!;
    } finally {
      await page.close();
    }
  }

  async function tokenFor(code: string): Promise<string> {
    // The application's secret is generated on first deploy and kept in the tenant's store under GATEHOUSE_HOME.
    const { TenantStore } = await import("../../src/identity/tenant-store.js");
    const { join } = await import("node:path");
    const store = new TenantStore(join(host.home, "state", "api-auth-jwt-auth0", "prod", "auth", "my-stack_Auth"));
    const secret = store.getApplication(clientId)!.clientSecret;
    store.close();
    const response = await fetch(`${issuer}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, client_secret: secret, code, redirect_uri: "http://localhost:5678" }),
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { id_token: string }).id_token;
  }

  test("sign up through the tenant in a browser, then call the private route", async () => {
    const idToken = await tokenFor(await logIn("owner@example.com", "Self-hosted-2026!", true));
    const response = await fetch(`${endpoint}/private`, { headers: { authorization: `Bearer ${idToken}` } });
    assert.match(await response.text(), /^Hello auth0\|[0-9a-f]{24}!$/);
    assert.equal((await fetch(`${endpoint}/private`)).status, 401);
  });

  test("the tenant's users survive a redeploy of a changed app", async () => {
    app.write("src/public.js", `export async function main() { return { statusCode: 200, body: "v2" }; }\n`);
    const redeploy = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(redeploy.code, 0, redeploy.out);
    assert.match(redeploy.out, /Version 2 is live/);
    assert.equal(/Issuer: (\S+)/.exec(redeploy.out)![1], issuer, "the issuer URL is stable");
    const idToken = await tokenFor(await logIn("owner@example.com", "Self-hosted-2026!", false));
    const response = await fetch(`${endpoint}/private`, { headers: { authorization: `Bearer ${idToken}` } });
    assert.match(await response.text(), /^Hello auth0\|/);
  });

  test("removing a stage that holds users needs --yes when not interactive", async () => {
    const refused = await host.run(["remove", "--stage", "prod"], app.root);
    assert.equal(refused.code, 1);
    assert.match(refused.out, /holds 1 user\(s\).*nothing was removed.*--yes/);
    const removed = await host.run(["remove", "--stage", "prod", "--yes"], app.root);
    assert.equal(removed.code, 0, removed.out);
  });
});
