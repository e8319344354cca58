/**
 * The walkthrough as a person does it, offline: `gatehouse dev` on a copy of the example app with its issuer
 * untouched, the printed login URL opened in headless Chromium, sign-up, the code copied from the callback,
 * the walkthrough's curl body posted to /oauth/token, and /private called with the ID token.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { chromiumMissing, launchChromium } from "../support/chromium.js";
import { type CliProcess, pollUntil, startCli } from "../support/cli-process.js";
import { tempApp } from "../support/temp-app.js";

const skip = chromiumMissing;
const CLIENT_ID = "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif";

describe("the Auth0 walkthrough in a browser, with the embedded identity provider", { skip }, () => {
  const app = tempApp();
  let dev: CliProcess;
  let browser: Browser;
  let endpoint: string;
  let loginUrl: string;
  let tokenCurl: string;

  before(async () => {
    dev = startCli(["dev", "--port", "0", "--idp-port", "0"], app.root);
    endpoint = (await dev.waitFor(/ApiEndpoint: (http:\/\/127\.0\.0\.1:\d+)/, 30_000))[1];
    loginUrl = (await dev.waitFor(/Login: {2}(\S+)/))[1];
    tokenCurl = (await dev.waitFor(/(curl --request POST .+)/))[1];
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await dev?.stop();
    app.remove();
  });

  let idToken: string;

  test("dev prints the issuer it plays, the login URL with the real client id, and the code exchange", () => {
    assert.match(dev.output(), /Identity provider for https:\/\/myorg\.us\.auth0\.com\/ \(embedded, at http:\/\/127\.0\.0\.1:\d+\/\)/);
    assert.match(loginUrl, new RegExp(`/authorize\\?response_type=code&client_id=${CLIENT_ID}&redirect_uri=http://localhost:5678&scope=openid%20profile&state=\\w+$`));
    assert.match(tokenCurl, /client_secret=[\w-]{20,}/);
  });

  test("sign up on the login page, land on the callback with code and state, exchange the code", async () => {
    const page = await browser.newPage();
    let callback: URL;
    try {
      await page.goto(loginUrl);
      await page.click("text=Sign up");
      await page.fill("#email", "walkthrough.user@example.com");
      await page.fill("#password", "Walkthrough-2026!");
      // Nothing listens on localhost:5678 (the walkthrough only needs the URL): read it off the request.
      const reached = page.waitForRequest((request) => request.url().startsWith("http://localhost:5678"));
      await page.click("button[type=submit]");
      callback = new URL((await reached).url());
    } finally {
      await page.close();
    }
    assert.equal(callback.searchParams.get("state"), new URL(loginUrl).searchParams.get("state"));
    const code = callback.searchParams.get("code");
    assert.ok(code && code.length >= 16, "a code long enough to carry 128 bits");

    // The walkthrough's curl: a form body with client_secret_post.
    const secret = /client_secret=([^&]+)/.exec(tokenCurl)![1];
    const tokenUrl = /--url '?([^' ]+)/.exec(tokenCurl)![1];
    const response = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=authorization_code&client_id=${CLIENT_ID}&client_secret=${secret}&code=${code}&redirect_uri=http://localhost:5678`,
    });
    assert.equal(response.status, 200);
    const tokens = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(tokens).sort(), ["access_token", "expires_in", "id_token", "scope", "token_type"]);
    assert.equal(tokens.scope, "openid profile");
    assert.equal(tokens.expires_in, 86400);
    assert.equal(tokens.token_type, "Bearer");
    idToken = tokens.id_token as string;
    const claims = JSON.parse(Buffer.from(idToken.split(".")[1], "base64url").toString());
    assert.equal(claims.iss, "https://myorg.us.auth0.com/");
    assert.equal(claims.aud, CLIENT_ID);
    assert.match(claims.sub, /^auth0\|[0-9a-f]{24}$/);
  });

  test("GET /private with the ID token answers Hello user!", async () => {
    const response = await fetch(`${endpoint}/private`, { headers: { authorization: `Bearer ${idToken}` } });
    assert.equal(await response.text(), "Hello user!");
  });

  test("after the walkthrough's edit it answers with the caller's user id", async () => {
    app.write(
      "src/private.js",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the handler's source, with its own template literal
      "export async function main(event) {\n  return {\n    statusCode: 200,\n    body: `Hello ${event.requestContext.authorizer.jwt.claims.sub}!`,\n  };\n}\n",
    );
    const body = await pollUntil(`${endpoint}/private`, (text) => text.startsWith("Hello auth0|"), 5000, {
      headers: { authorization: `Bearer ${idToken}` },
    });
    assert.match(body, /^Hello auth0\|[0-9a-f]{24}!$/);
  });
});
