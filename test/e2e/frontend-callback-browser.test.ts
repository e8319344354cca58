/**
 * A frontend on its own URL logs in through the embedded tenant in a real browser, once its callback is
 * added with `gatehouse idp apps update` while dev runs.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { chromiumMissing, launchChromium } from "../support/chromium.js";
import { type CliProcess, startCli } from "../support/cli-process.js";
import { runBin } from "../support/run-bin.js";
import { tempApp } from "../support/temp-app.js";

const CLIENT_ID = "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif";

describe("a frontend callback added by the CLI works in a browser login", { skip: chromiumMissing }, () => {
  const app = tempApp();
  let dev: CliProcess;
  let browser: Browser;
  let frontend: Server;
  let callbackUrl: string;
  let tenantUrl: string;
  let endpoint: string;
  const callbacks: URL[] = [];

  before(async () => {
    // The frontend: answers its callback with a page, as a single-page app would.
    frontend = createServer((req, res) => {
      callbacks.push(new URL(req.url ?? "/", callbackUrl));
      res.writeHead(200, { "content-type": "text/html" }).end("<h1>Frontend callback</h1>");
    });
    await new Promise<void>((resolve) => frontend.listen(0, "127.0.0.1", resolve));
    callbackUrl = `http://127.0.0.1:${(frontend.address() as AddressInfo).port}/callback`;
    dev = startCli(["dev", "--port", "0", "--idp-port", "0"], app.root);
    endpoint = (await dev.waitFor(/ApiEndpoint: (http:\/\/127\.0\.0\.1:\d+)/, 30_000))[1];
    tenantUrl = (await dev.waitFor(/\(embedded, at (\S+)\)/))[1];
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await dev?.stop();
    await new Promise((resolve) => frontend?.close(resolve));
    app.remove();
  });

  const authorizeUrl = (redirectUri: string, state: string) =>
    `${tenantUrl}authorize?response_type=code&client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=openid%20profile&state=${state}`;

  test("before the update the frontend's callback is refused without a redirect", async () => {
    const response = await fetch(authorizeUrl(callbackUrl, "early"), { redirect: "manual" });
    assert.notEqual(response.status, 302);
    assert.match(await response.text(), /callback|redirect_uri/i);
  });

  test("apps update --callback while dev runs; apps list shows it", async () => {
    const updated = await runBin(["idp", "apps", "update", "--client-id", CLIENT_ID, "--callback", callbackUrl], { cwd: app.root });
    assert.equal(updated.code, 0, updated.stderr);
    const listed = await runBin(["idp", "apps", "list"], { cwd: app.root });
    assert.ok(listed.stdout.includes(`callbacks:   http://localhost:5678, ${callbackUrl}\n`), listed.stdout);
  });

  let code: string;

  test("sign up in Chromium: the login page names the application, the browser lands on the frontend", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(authorizeUrl(callbackUrl, "s123"));
      const text = await page.textContent("main");
      assert.match(text ?? "", /continue to api-auth-jwt-auth0/, "the application's name, not its client id");
      assert.doesNotMatch(text ?? "", new RegExp(CLIENT_ID));
      await page.click("text=Sign up");
      await page.fill("#email", "frontend.user@example.com");
      await page.fill("#password", "Frontend-2026!");
      await Promise.all([page.waitForURL((url) => url.href.startsWith(callbackUrl)), page.click("button[type=submit]")]);
      assert.equal(await page.textContent("h1"), "Frontend callback");
    } finally {
      await page.close();
    }
    const landed = callbacks.filter((url) => url.pathname === "/callback").at(-1)!;
    assert.equal(landed.searchParams.get("state"), "s123");
    code = landed.searchParams.get("code") ?? "";
    assert.ok(code.length >= 16);
  });

  test("the code exchanged with that redirect_uri gives an ID token /private accepts", async () => {
    const secret = /secret: +(\S+)/.exec((await runBin(["idp", "apps", "list"], { cwd: app.root })).stdout)![1];
    const response = await fetch(`${tenantUrl}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: CLIENT_ID, client_secret: secret, code, redirect_uri: callbackUrl }),
    });
    assert.equal(response.status, 200);
    const { id_token: idToken } = (await response.json()) as { id_token: string };
    const hello = await fetch(`${endpoint}/private`, { headers: { authorization: `Bearer ${idToken}` } });
    assert.equal(await hello.text(), "Hello user!");
  });
});
