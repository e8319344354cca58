/**
 * The dev console as a developer uses it: `gatehouse dev` on the walkthrough app, the printed console link
 * opened in headless Chromium, requests (public, anonymous, wrong audience, expired) showing up live with the
 * authorizer's reasons in words, a refused request replayed with a good token, acting as a user added in the
 * console, and an application's callback URLs edited so a login through the new one works.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { after, before, describe, test } from "node:test";
import { importJWK, SignJWT } from "jose";
import type { Browser, Locator, Page } from "playwright-core";
import { loadConfig } from "../../src/app/load-config.js";
import { stageStateDir } from "../../src/app/stage-paths.js";
import { isGatehouseError } from "../../src/errors.js";
import { TenantStore, tenantDataDir } from "../../src/identity/tenant-store.js";
import { authorizeWithLogin } from "../../src/identity/token-via-login.js";
import { chromiumMissing, launchChromium } from "../support/chromium.js";
import { type CliProcess, startCli } from "../support/cli-process.js";
import { tempApp } from "../support/temp-app.js";

const ISSUER = "https://myorg.us.auth0.com/";
const CLIENT_ID = "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif";
const ARTIFACTS = new URL("../../test-artifacts/", import.meta.url).pathname;
const ROW = "[data-testid=request-row]";

/** The text as a user sees it, cells apart (textContent would run them together). */
function seen(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the user reads
  return locator.innerText();
}

describe("the dev console", { skip: chromiumMissing }, () => {
  const app = tempApp();
  let dev: CliProcess;
  let browser: Browser;
  let page: Page;
  let endpoint: string;
  let consoleUrl: string;
  let idpUrl: string;
  let sign: (claims: Record<string, unknown>) => Promise<string>;

  before(async () => {
    // The handler logs a line, which must show up under its request's row.
    app.write("src/public.js", `export async function main() {\n  console.log("public handler ran");\n  return { statusCode: 200, body: "Hello stranger!" };\n}\n`);
    dev = startCli(["dev", "--port", "0", "--idp-port", "0"], app.root, { NO_COLOR: "1" });
    endpoint = (await dev.waitFor(/ApiEndpoint: (http:\/\/127\.0\.0\.1:\d+)/, 30_000))[1];
    idpUrl = (await dev.waitFor(/embedded, at (http:\/\/127\.0\.0\.1:\d+\/)/))[1];
    consoleUrl = (await dev.waitFor(/Console: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/))[1];
    await dev.waitFor(/Ready in \d+ ms/);
    // Tokens are minted with the embedded tenant's own signing key, as if it had issued them.
    const store = new TenantStore(tenantDataDir(stageStateDir(loadConfig(app.root)), ISSUER));
    const [current] = await store.signingKeys();
    store.close();
    const key = await importJWK(current.jwk, "RS256");
    sign = (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: current.kid, typ: "JWT" }).setIssuer(ISSUER).sign(key);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await dev?.stop();
    app.remove();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const rows = () => page.locator(ROW);

  test("the printed link opens the console; it moves the token into a cookie", async (t) => {
    await page.goto(consoleUrl);
    assert.equal(new URL(page.url()).search, "");
    await page.getByText("No requests yet").waitFor({ timeout: 5000 });
    await page.getByText("● live").waitFor({ timeout: 5000 });
    // Reported, not asserted: wall-clock figures on a shared machine are for people, not for pass/fail.
    const paint = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1);
    t.diagnostic(`first contentful paint: ${Math.round(paint)} ms`);
  });

  test("four requests appear within a second, the refusals with their reasons in words", async () => {
    const wrongAudience = await sign({ sub: "auth0|wrong-audience", aud: "abc", iat: now(), exp: now() + 3600 });
    const expired = await sign({ sub: "auth0|expired", aud: CLIENT_ID, iat: now() - 3600, exp: now() - 190 });
    assert.equal((await fetch(`${endpoint}/public`)).status, 200);
    assert.equal((await fetch(`${endpoint}/private`)).status, 401);
    assert.equal((await fetch(`${endpoint}/private`, { headers: { authorization: `Bearer ${wrongAudience}` } })).status, 401);
    assert.equal((await fetch(`${endpoint}/private`, { headers: { authorization: `Bearer ${expired}` } })).status, 401);

    await rows().nth(3).waitFor({ timeout: 1000 });
    assert.equal(await rows().count(), 4);
    const texts = await rows().allInnerTexts();
    // Newest first.
    assert.match(texts[0], /GET\s+\/private\s+GET \/private\s+401[\s\S]*denied token expired 3 min ago/);
    assert.match(texts[1], new RegExp(`denied audience mismatch: token aud "abc", expected "${CLIENT_ID}"`));
    assert.match(texts[2], /denied no token: the request has no Authorization header/);
    assert.match(texts[3], /GET\s+\/public\s+GET \/public\s+200/);
    await page.screenshot({ path: `${ARTIFACTS}console-requests.png`, fullPage: true });
    await page.locator("[data-testid=filter-verdict]").selectOption("deny");
    assert.equal(await rows().count(), 3);
    await page.locator("[data-testid=filter-status]").selectOption("2xx");
    assert.equal(await rows().count(), 0);
    await page.locator("[data-testid=filter-verdict]").selectOption("");
    await page.locator("[data-testid=filter-route]").selectOption("GET /public");
    assert.equal(await rows().count(), 1);
    await page.locator("[data-testid=filter-status]").selectOption("");
    await page.locator("[data-testid=filter-route]").selectOption("");
    assert.equal(await rows().count(), 4);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: `${ARTIFACTS}console-requests-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
  });

  test("curl /public printed one access line", () => {
    const lines = dev.output().split("\n").filter((line) => line.includes("GET /public → "));
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0], /^\d\d:\d\d:\d\d GET \/public → GET \/public 200 \d+ ms$/);
  });

  test("the handler's console.log line is under its request's row", async () => {
    await rows().filter({ hasText: "GET /public" }).click();
    const logs = page.locator("[data-testid=request-logs]");
    await logs.waitFor({ timeout: 10_000 });
    assert.match(await seen(logs), /INFO public handler ran/);
    await page.getByRole("button", { name: "Close" }).click();
  });

  test("an opened refusal shows the decoded claims and the reason; the raw token only when asked", async () => {
    await rows().filter({ hasText: "audience mismatch" }).click();
    const detail = page.locator("[data-testid=request-detail]");
    await detail.waitFor({ timeout: 10_000 });
    const claims = await seen(page.locator("[data-testid=token-claims]"));
    assert.match(claims, /"aud": "abc"/);
    assert.match(claims, /"sub": "auth0\|wrong-audience"/);
    assert.match(await seen(page.locator("[data-testid=detail-verdict]")), /audience mismatch: token aud "abc"/);
    assert.equal(await page.locator("[data-testid=raw-token]").count(), 0);
    assert.doesNotMatch(await seen(detail), /eyJ[\w-]+\.eyJ/, "no raw token anywhere in the opened row");
    for (const field of await page.locator("[data-testid=request-detail] textarea").all()) {
      assert.doesNotMatch(await field.inputValue(), /eyJ/, "the raw token is hidden until asked, in the replay form too");
    }
    await page.screenshot({ path: `${ARTIFACTS}console-request-open.png`, fullPage: true });
    await page.getByRole("button", { name: "Show raw token" }).click();
    assert.match(await seen(page.locator("[data-testid=raw-token]")), /^eyJ/);
  });

  test("Replay with a valid token: a new 200 row", async () => {
    const valid = await sign({ sub: "auth0|replayed", aud: CLIENT_ID, iat: now(), exp: now() + 3600 });
    await page.locator("[data-testid=replay-token]").fill(valid);
    await page.locator("[data-testid=replay]").click();
    await rows().nth(4).waitFor({ timeout: 5000 });
    const newest = await seen(rows().first());
    assert.match(newest, /GET \/private\s+200[\s\S]*allowed sub=auth0\|replayed/);
  });

  test("act as a user added in the console: Hello user! and a 200 row with the user's sub", async () => {
    await page.getByRole("tab", { name: "Identity" }).click();
    await page.locator("[data-testid=add-user-email]").fill("console.user@example.com");
    await page.locator("[data-testid=add-user-password]").fill("Console-Pass-2026!");
    await page.locator("[data-testid=add-user]").click();
    const userRow = page.locator("[data-testid=user-row]").filter({ hasText: "console.user@example.com" });
    await userRow.waitFor({ timeout: 5000 });
    const sub = ((await seen(userRow)).match(/auth0\|[0-9a-f]{24}/) ?? [""])[0];
    assert.ok(sub);
    await page.locator("[data-testid=act-user]").selectOption({ label: "console.user@example.com" });
    await page.locator("[data-testid=act-app]").selectOption(CLIENT_ID);
    await page.locator("[data-testid=act-login]").click();
    await page.locator("[data-testid=act-id-claims]").waitFor({ timeout: 10_000 });
    assert.match(await seen(page.locator("[data-testid=act-id-claims]")), new RegExp(`"sub": "${sub.replace("|", "\\|")}"`));
    await page.locator("[data-testid=act-route]").selectOption({ label: "GET /private" });
    await page.locator("[data-testid=act-call]").click();
    await page.locator("[data-testid=act-response]").waitFor({ timeout: 5000 });
    assert.equal(await seen(page.locator("[data-testid=act-response]")), "200 Hello user!");
    await page.screenshot({ path: `${ARTIFACTS}console-act-as.png`, fullPage: true });
    await page.getByRole("tab", { name: "Requests" }).click();
    await rows().nth(5).waitFor({ timeout: 5000 });
    assert.match(await seen(rows().first()), new RegExp(`GET /private\\s+200[\\s\\S]*allowed sub=${sub.replace("|", "\\|")}`));
  });

  test("keyboard: a focused row opens with Enter and closes with Escape", async () => {
    await page.getByRole("tab", { name: "Requests" }).click();
    await rows().first().focus();
    await page.keyboard.press("Enter");
    await page.locator("[data-testid=request-detail]").waitFor({ timeout: 10_000 });
    await page.locator("[data-testid=request-detail] button").first().focus();
    await page.keyboard.press("Escape");
    await page.locator("[data-testid=request-detail]").waitFor({ state: "detached", timeout: 10_000 });
  });

  test("routes list each handler's file:line; a function invoked from the console returns with its log", async () => {
    await page.getByRole("tab", { name: "Routes" }).click();
    const privateRow = page.locator("tr").filter({ hasText: "GET /private" });
    await privateRow.waitFor({ timeout: 10_000 });
    assert.match(await seen(privateRow), /JWT[\s\S]*src\/private\.main\s+src\/private\.js:1/);
    assert.match(await seen(page.locator("tr").filter({ hasText: "GET /public" })), /NONE[\s\S]*src\/public\.js:1/);
    await page.getByRole("tab", { name: "Functions" }).click();
    await page.locator("select").first().selectOption({ label: await seen(page.locator("option", { hasText: "src/public.main" })) });
    await page.waitForFunction(() => (document.querySelector("textarea") as HTMLTextAreaElement | null)?.value.includes('"routeKey": "GET /public"'), null, { timeout: 10_000 });
    await page.getByRole("button", { name: "Invoke" }).click();
    const result = page.locator(".panel").filter({ hasText: "Returned" });
    await result.waitFor({ timeout: 5000 });
    assert.match(await seen(result), /Hello stranger![\s\S]*INFO public handler ran/);
  });

  test("callback URLs edited in the console: a login through the new callback succeeds", async () => {
    const frontend = "http://localhost:3000/callback";
    const login = () =>
      authorizeWithLogin({ providerUrl: idpUrl, clientId: CLIENT_ID, redirectUri: frontend, email: "console.user@example.com", password: "Console-Pass-2026!" });
    await assert.rejects(login(), (err) => isGatehouseError(err, "GH_ERR_IDP_INVALID"));
    await page.getByRole("tab", { name: "Identity" }).click();
    const form = page.locator(`[data-testid=application][data-client-id="${CLIENT_ID}"]`);
    await form.locator("[data-testid=callbacks]").fill(`http://localhost:5678\n${frontend}`);
    await form.locator("[data-testid=save-application]").click();
    await form.getByText("Saved").waitFor({ timeout: 5000 });
    const callback = await login();
    assert.equal(callback.origin + callback.pathname, frontend);
    assert.ok(callback.searchParams.get("code"));
  });

  test("a signing key rotated in the console: the next login's tokens carry the new kid and are accepted", async () => {
    await page.getByRole("tab", { name: "Identity" }).click();
    const keys = page.locator("li").filter({ hasText: "(current)" });
    const before = (await seen(keys)).split(" ")[0];
    await page.getByRole("button", { name: "Rotate signing key" }).click();
    await page.getByText("(retired, still published)").waitFor({ timeout: 5000 });
    const after = (await seen(page.locator("li").filter({ hasText: "(current)" }))).split(" ")[0];
    assert.notEqual(after, before);
    await page.locator("[data-testid=act-user]").selectOption({ label: "console.user@example.com" });
    const rowsBefore = await page.evaluate(() => fetch("/console/requests").then((r) => r.json()).then((list) => list.length));
    await page.locator("[data-testid=act-login]").click();
    await page.locator("[data-testid=act-route]").selectOption({ label: "GET /private" });
    await page.locator("[data-testid=act-call]").click();
    await page.locator("[data-testid=act-response]").waitFor({ timeout: 5000 });
    assert.equal(await seen(page.locator("[data-testid=act-response]")), "200 Hello user!");
    await page.getByRole("tab", { name: "Requests" }).click();
    await rows().nth(rowsBefore).waitFor({ timeout: 5000 });
    await rows().first().click();
    await page.locator("[data-testid=token-header]").waitFor({ timeout: 10_000 });
    assert.match(await seen(page.locator("[data-testid=token-header]")), new RegExp(`"kid": "${after}"`));
  });

  test("without the token, with a foreign Host or a foreign Origin: refused, and nothing leaks", async () => {
    const base = new URL(consoleUrl).origin;
    const bare = await fetch(`${base}/console/requests`);
    assert.equal(bare.status, 401);
    assert.doesNotMatch(await bare.text(), /private|auth0/);
    const cookie = (await page.context().cookies()).find((c) => c.name === "gatehouse_console");
    assert.ok(cookie?.httpOnly && cookie.sameSite === "Strict");
    const port = Number(new URL(consoleUrl).port);
    for (const headers of [{ host: `rebound.example:${port}` }, { host: `127.0.0.1:${port}`, origin: "http://evil.example" }]) {
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, path: "/console/requests", headers: { ...headers, cookie: `${cookie!.name}=${cookie!.value}` } }, (res) => {
          let body = "";
          res.on("data", (chunk) => {
            body += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
      assert.equal(reply.status, 403, JSON.stringify(headers));
      assert.doesNotMatch(reply.body, /private|auth0/);
    }
  });
});
