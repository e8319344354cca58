import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { chromiumMissing, launchChromium } from "../support/chromium.js";
import { CLIENT_ID, postToken, startTestTenant, type TestTenant, verifyWithJwks } from "./tenant-fixture.js";

const skip = chromiumMissing;

describe("the universal login page in headless Chromium", { skip }, () => {
  let tenant: TestTenant;
  let browser: Browser;
  let callbackServer: Server;
  let callbackUrl: string;
  const received: string[] = [];

  before(async () => {
    // A tiny app callback that records where the browser landed.
    callbackServer = createServer((req, res) => {
      received.push(req.url ?? "");
      res.writeHead(200, { "content-type": "text/html" }).end("<p>callback reached</p>");
    });
    await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
    callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
    tenant = await startTestTenant({ applications: [{ clientId: CLIENT_ID, name: "Notes", callbackUrls: [callbackUrl] }] });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await tenant?.close();
    await new Promise<void>((resolve) => callbackServer.close(() => resolve()));
  });

  it("signs up a user and lands on the callback with code and state, which exchange for tokens", async () => {
    const page = await browser.newPage();
    try {
      const authorize = new URL("authorize", tenant.idp.url);
      authorize.search = new URLSearchParams({
        response_type: "code",
        client_id: CLIENT_ID,
        redirect_uri: callbackUrl,
        scope: "openid profile",
        state: "walkthrough-state",
      }).toString();
      await page.goto(authorize.href);
      assert.match(await page.textContent("body") ?? "", /Log in to myorg to continue to Notes\./);

      await page.click("text=Sign up");
      assert.match(await page.textContent("body") ?? "", /Sign Up to myorg to continue to Notes\./);
      await page.fill("#email", "browser.user@example.com");
      await page.fill("#password", "weak");
      await page.click("button[type=submit]");
      assert.match(await page.textContent("#error-message") ?? "", /The password is too weak/);

      await page.fill("#password", "Br0wser-secret");
      await Promise.all([page.waitForURL((url) => url.href.startsWith(callbackUrl)), page.click("button[type=submit]")]);
      const landed = new URL(page.url());
      assert.equal(landed.searchParams.get("state"), "walkthrough-state");
      const code = landed.searchParams.get("code");
      assert.ok(code);
      assert.ok(received.some((url) => url.includes(`code=${encodeURIComponent(code)}`)), "the callback server saw the code");

      const tokens = await postToken(tenant.idp, {
        grant_type: "authorization_code",
        client_id: CLIENT_ID,
        client_secret: tenant.app.clientSecret,
        code,
        redirect_uri: callbackUrl,
      });
      assert.equal(tokens.status, 200);
      const claims = await verifyWithJwks(tenant.idp, tokens.body.id_token, CLIENT_ID);
      assert.equal(claims.name, "browser.user@example.com");
    } finally {
      await page.close();
    }
  });

  it("shows 'Wrong email or password' on a bad login and keeps the e-mail", async () => {
    const page = await browser.newPage();
    try {
      const authorize = new URL("authorize", tenant.idp.url);
      authorize.search = new URLSearchParams({ response_type: "code", client_id: CLIENT_ID, redirect_uri: callbackUrl, scope: "openid" }).toString();
      await page.goto(authorize.href);
      await page.fill("#email", "jo@example.com");
      await page.fill("#password", "Not-the-passw0rd");
      await page.click("button[type=submit]");
      assert.equal((await page.textContent("#error-message"))?.trim(), "Wrong email or password");
      assert.equal(await page.inputValue("#email"), "jo@example.com");
    } finally {
      await page.close();
    }
  });
});
