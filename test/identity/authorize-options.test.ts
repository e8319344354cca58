import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { authorizeWithLogin, CookieJar } from "../../src/identity/token-via-login.js";
import { walkthroughHints } from "../../src/identity/walkthrough-hints.js";
import { CALLBACK, CLIENT_ID, EMAIL, PASSWORD, postToken, startTestTenant, type TestTenant, verifyWithJwks } from "./tenant-fixture.js";

describe("authorize options, dev hints and untrusted input", () => {
  let tenant: TestTenant;
  before(async () => {
    tenant = await startTestTenant();
  });
  after(() => tenant.close());

  it("prints a walkthrough login URL and curl that work as printed", async () => {
    const hints = walkthroughHints(tenant.idp, tenant.app);
    assert.equal(hints.issuer, "https://myorg.us.auth0.com/");
    assert.equal(
      hints.loginUrl,
      `${tenant.idp.url}authorize?response_type=code&client_id=${CLIENT_ID}&redirect_uri=http://localhost:5678&scope=openid%20profile`,
    );
    assert.ok(hints.tokenCurl.includes(`client_secret=${encodeURIComponent(tenant.app.clientSecret)}`));
    const callback = await authorizeWithLogin({
      providerUrl: tenant.idp.url,
      clientId: CLIENT_ID,
      email: EMAIL,
      password: PASSWORD,
      params: Object.fromEntries(new URL(hints.loginUrl).searchParams),
    });
    const body = /--data '([^']+)'/.exec(hints.tokenCurl)![1].replace("AUTHORIZATION_CODE", callback.searchParams.get("code")!);
    const response = await postToken(tenant.idp, Object.fromEntries(new URLSearchParams(body)));
    assert.equal(response.status, 200);
  });

  it("forces the login form again with prompt=login and reports auth_time with max_age", async () => {
    const jar = new CookieJar();
    await authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: PASSWORD, jar });
    await assert.rejects(
      authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: "Wr0ng-password", jar, params: { prompt: "login" } }),
      /Wrong email or password/,
      "prompt=login shows the form despite the session",
    );
    const callback = await authorizeWithLogin({
      providerUrl: tenant.idp.url,
      clientId: CLIENT_ID,
      email: EMAIL,
      password: PASSWORD,
      jar,
      params: { max_age: "3600" },
    });
    const tokens = await postToken(tenant.idp, {
      grant_type: "authorization_code",
      client_id: CLIENT_ID,
      client_secret: tenant.app.clientSecret,
      code: callback.searchParams.get("code")!,
      redirect_uri: CALLBACK,
    });
    const claims = await verifyWithJwks(tenant.idp, tokens.body.id_token, CLIENT_ID);
    assert.equal(typeof claims.auth_time, "number");
  });

  it("delivers the code by an auto-submitting form with response_mode=form_post", async () => {
    const jar = new CookieJar();
    await authorizeWithLogin({ providerUrl: tenant.idp.url, clientId: CLIENT_ID, email: EMAIL, password: PASSWORD, jar });
    const authorize = new URL("authorize", tenant.idp.url);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: CALLBACK,
      scope: "openid",
      state: 'a"b<c',
      response_mode: "form_post",
    }).toString();
    let response = await fetch(authorize, { redirect: "manual", headers: { cookie: jar.header() } });
    for (let hop = 0; hop < 5 && response.status >= 300 && response.status < 400; hop++) {
      jar.store(response);
      response = await fetch(new URL(response.headers.get("location")!, tenant.idp.url), { redirect: "manual", headers: { cookie: jar.header() } });
    }
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.match(html, /<form method="post" action="http:\/\/localhost:5678"/);
    assert.match(html, /name="code" value="[\w-]+"/);
    assert.match(html, /name="state" value="a&quot;b&lt;c"/);
  });

  it("answers malformed and oversized requests with 4xx and keeps serving", async () => {
    const token = new URL("oauth/token", tenant.idp.url);
    const malformed = await fetch(token, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: string }).error, "invalid_request");

    const huge = "x".repeat(200 * 1024);
    const tooBig = await fetch(token, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `a=${huge}` });
    assert.equal(tooBig.status, 413);
    const signup = await fetch(new URL("dbconnections/signup", tenant.idp.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: huge }),
    });
    assert.equal(signup.status, 413);

    const staleLogin = await fetch(new URL("u/not-a-real-interaction/login", tenant.idp.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=a&password=b",
    });
    assert.equal(staleLogin.status, 400);
    assert.match(await staleLogin.text(), /login session has expired/);

    const discovery = await fetch(new URL(".well-known/openid-configuration", tenant.idp.url));
    assert.equal(discovery.status, 200);
  });
});
