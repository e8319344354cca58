import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { type DevSession, startDev } from "../../src/dev/dev-session.js";
import { TenantStore } from "../../src/identity/tenant-store.js";
import { memoryLogger } from "../../src/log.js";
import { BIN, type CliProcess, startCli } from "../support/cli-process.js";

const APPS = new URL("../apps/", import.meta.url).pathname;

/** A copy of a test app, so its state (.gatehouse) stays out of the repository. */
function copyApp(name: string): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), `gatehouse-${name}-`));
  cpSync(join(APPS, name), root, { recursive: true });
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** `gatehouse dev` in-process on a copy of the app, with a clock the test moves. */
async function devOn(name: string) {
  const app = copyApp(name);
  const clock = { now: Date.now() };
  const logger = memoryLogger();
  const session = await startDev({ cwd: app.root, port: 0, idpPort: 0, watch: false, logger, now: () => clock.now });
  const endpoint = Object.values(session.endpoints())[0];
  return {
    app,
    clock,
    logger,
    session,
    endpoint,
    async close() {
      await session.close();
      app.remove();
    },
  };
}

async function get(url: string, authorization?: string, method = "GET") {
  const response = await fetch(url, { method, headers: authorization ? { authorization } : {} });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

describe("a Lambda authorizer with simple responses (test/apps/authorizer-lambda-simple)", () => {
  let dev: Awaited<ReturnType<typeof devOn>>;
  const invocations = () => dev.logger.lines.filter((line) => line.includes("authorizer invoked")).length;
  before(async () => {
    dev = await devOn("authorizer-lambda-simple");
  });
  after(() => dev?.close());

  test("a request without the identity source is 401 and the authorizer is not invoked", async () => {
    assert.deepEqual(await get(`${dev.endpoint}/private`).then((r) => [r.status, r.body]), [401, '{"message":"Unauthorized"}']);
    assert.equal(invocations(), 0);
    assert.equal((await get(`${dev.endpoint}/public`)).body, "public");
  });

  test("isAuthorized gates the route; its context reaches the route in requestContext.authorizer.lambda", async () => {
    const allowed = await get(`${dev.endpoint}/private`, "Bearer alice-token");
    assert.equal(allowed.status, 200);
    const { authorizer } = JSON.parse(allowed.body);
    assert.deepEqual(Object.keys(authorizer), ["lambda"]);
    const { decidedBy, ...user } = authorizer.lambda;
    assert.deepEqual(user, { userId: "alice", plan: "pro", seats: 3, admin: true });
    assert.match(decidedBy, /^[0-9a-f-]{36}$/);
    const refused = await get(`${dev.endpoint}/private`, "Bearer mallory");
    assert.deepEqual([refused.status, refused.body], [403, '{"message":"Forbidden"}']);
  });

  test("a result is cached by identity source for the TTL (30 s), on every route, then asked again", async () => {
    const decidedBy = async (route: string, method = "GET") => JSON.parse((await get(`${dev.endpoint}${route}`, "Bearer bob-token", method)).body).authorizer.lambda.decidedBy;
    const first = await decidedBy("/private");
    dev.clock.now += 29_000;
    assert.equal(await decidedBy("/private"), first);
    assert.equal(await decidedBy("/private/notes", "POST"), first);
    dev.clock.now += 1_000;
    const fresh = await decidedBy("/private");
    assert.notEqual(fresh, first);
    assert.equal(await decidedBy("/private"), fresh);
  });
});

describe("a Lambda authorizer answering with IAM policies (test/apps/authorizer-lambda-policy)", () => {
  let dev: Awaited<ReturnType<typeof devOn>>;
  before(async () => {
    dev = await devOn("authorizer-lambda-policy");
  });
  after(() => dev?.close());

  test("an Allow for GET routes lets GETs through with the context and principalId, and refuses DELETE", async () => {
    const list = await get(`${dev.endpoint}/orders`, "Bearer reader");
    assert.equal(list.status, 200);
    assert.deepEqual(JSON.parse(list.body).lambda, { principalId: "reader-1", role: "reader", quota: 10 });
    assert.equal((await get(`${dev.endpoint}/orders/7`, "Bearer reader")).status, 200);
    assert.deepEqual(await get(`${dev.endpoint}/orders/7`, "Bearer reader", "DELETE").then((r) => [r.status, r.body]), [403, '{"message":"Forbidden"}']);
  });

  test("a cached policy is checked against each request's own route: allowed on one route, refused on another", async () => {
    assert.equal((await get(`${dev.endpoint}/orders`, "Bearer this-route-only")).status, 200);
    assert.equal((await get(`${dev.endpoint}/orders/9`, "Bearer this-route-only")).status, 403);
  });

  test("a Deny is 403 and unauthenticated routes stay open", async () => {
    assert.equal((await get(`${dev.endpoint}/orders`, "Bearer nobody")).status, 403);
    assert.equal((await get(`${dev.endpoint}/health`)).body, "ok");
  });
});

/** Signs a request to the local API with the AWS SDK's own SigV4 signer. */
async function signedFetch(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  init: { method?: string; body?: string; signingDate?: Date } = {},
): Promise<{ request: { url: string; method: string; headers: Record<string, string>; body?: string }; send(): Promise<{ status: number; body: string; errorType: string | null }> }> {
  const target = new URL(url);
  const signer = new SignatureV4({ credentials, region: "us-east-1", service: "execute-api", sha256: Hash.bind(null, "sha256") });
  const query = Object.fromEntries(target.searchParams);
  const signed = await signer.sign(
    {
      method: init.method ?? "GET",
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query,
      headers: { host: target.host, ...(init.body ? { "content-type": "application/json" } : {}) },
      body: init.body,
    },
    { signingDate: init.signingDate },
  );
  const request = { url, method: signed.method, headers: signed.headers as Record<string, string>, body: init.body };
  return {
    request,
    async send() {
      const response = await fetch(url, { method: request.method, headers: request.headers, body: request.body });
      return { status: response.status, body: await response.text(), errorType: response.headers.get("x-amzn-errortype") };
    },
  };
}

describe("AWS_IAM routes (test/apps/authorizer-iam)", () => {
  let dev: Awaited<ReturnType<typeof devOn>>;
  let credentials: { accessKeyId: string; secretAccessKey: string };
  before(async () => {
    dev = await devOn("authorizer-iam");
    const made = (dev.session as DevSession).iamCredential!;
    credentials = { accessKeyId: made.accessKeyId, secretAccessKey: made.secretAccessKey };
  });
  after(() => dev?.close());

  test("a request signed by the AWS SDK's signer passes, with requestContext.authorizer.iam as AWS fills it", async () => {
    const { status, body } = await (await signedFetch(`${dev.endpoint}/me`, credentials)).send();
    assert.equal(status, 200);
    const { iam, headers } = JSON.parse(body);
    assert.deepEqual(Object.keys(iam), ["accessKey", "accountId", "callerId", "cognitoIdentity", "principalOrgId", "userArn", "userId"]);
    assert.deepEqual([iam.accessKey, iam.cognitoIdentity, iam.principalOrgId], [credentials.accessKeyId, null, null]);
    assert.match(iam.userArn, /^arn:aws:iam::123456789012:user\/gatehouse-dev$/);
    assert.match(headers.authorization, /^AWS4-HMAC-SHA256 Credential=/);
    assert.match(headers["x-amz-date"], /^\d{8}T\d{6}Z$/);
  });

  test("the stack's Auth (user pool, identity pool) starts beside the Api and its ids are in the outputs", () => {
    const outputs = Object.values(dev.session.outputs())[0];
    assert.match(outputs.UserPoolId, /^us-east-1_[0-9A-Za-z]+$/);
    assert.match(outputs.IdentityPoolId, /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.ok(dev.session.manifest().notices.some((notice) => notice.startsWith("attachPermissionsForAuthUsers is accepted")));
  });

  test("a signed POST with a body and a query string passes", async () => {
    const created = await (await signedFetch(`${dev.endpoint}/notes`, credentials, { method: "POST", body: '{"text":"hi"}' })).send();
    assert.deepEqual([created.status, JSON.parse(created.body).note], [201, { text: "hi" }]);
    const read = await (await signedFetch(`${dev.endpoint}/notes/n%201?b=2&a=1`, credentials)).send();
    assert.deepEqual([read.status, JSON.parse(read.body)], [200, { id: "n 1", query: { b: "2", a: "1" } }]);
  });

  test("unsigned, wrong-key and wrong-secret requests get API Gateway's 403 bodies", async () => {
    const unsigned = await get(`${dev.endpoint}/me`);
    assert.deepEqual([unsigned.status, unsigned.body, unsigned.headers.get("x-amzn-errortype")], [403, '{"message":"Missing Authentication Token"}', "MissingAuthenticationTokenException"]);
    const stranger = await (await signedFetch(`${dev.endpoint}/me`, { ...credentials, accessKeyId: "AKIAUNKNOWNKEY000000" })).send();
    assert.deepEqual([stranger.status, stranger.body, stranger.errorType], [403, '{"message":"The security token included in the request is invalid."}', "AccessDeniedException"]);
    const wrongSecret = await (await signedFetch(`${dev.endpoint}/me`, { ...credentials, secretAccessKey: "x".repeat(40) })).send();
    assert.equal(wrongSecret.status, 403);
    assert.equal(wrongSecret.errorType, "InvalidSignatureException");
    assert.match(JSON.parse(wrongSecret.body).message, /^The request signature we calculated does not match the signature you provided\./);
    assert.equal((await get(`${dev.endpoint}/status`)).body, "up");
  });

  test("the same signed request replayed after the five-minute window is refused as expired", async () => {
    const signed = await signedFetch(`${dev.endpoint}/me`, credentials, { signingDate: new Date(dev.clock.now) });
    assert.equal((await signed.send()).status, 200);
    dev.clock.now += 5 * 60_000 + 1_000;
    const replayed = await signed.send();
    dev.clock.now -= 5 * 60_000 + 1_000;
    assert.deepEqual([replayed.status, replayed.errorType], [403, "InvalidSignatureException"]);
    assert.match(JSON.parse(replayed.body).message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  });
});

describe("gatehouse dev and gatehouse idp credentials on an AWS_IAM app", () => {
  const app = copyApp("authorizer-iam");
  let dev: CliProcess;
  let endpoint: string;
  before(async () => {
    dev = startCli(["dev", "--port", "0", "--idp-port", "0"], app.root);
    endpoint = (await dev.waitFor(/^ {4}ApiEndpoint: (http:\/\/127\.0\.0\.1:\d+)$/m, 30_000))[1];
    await dev.waitFor(/Ready in \d+ ms/);
  });
  after(async () => {
    await dev?.stop();
    app.remove();
  });

  test("dev prints a key pair that signs requests to AWS_IAM routes", async () => {
    const accessKeyId = (await dev.waitFor(/export AWS_ACCESS_KEY_ID=(AKIA[A-Z2-7]{16})/))[1];
    const secretAccessKey = (await dev.waitFor(/export AWS_SECRET_ACCESS_KEY=(\S{40})/))[1];
    assert.equal((await (await signedFetch(`${endpoint}/me`, { accessKeyId, secretAccessKey })).send()).status, 200);
  });

  test("a key pair minted with gatehouse idp credentials works while dev runs", async () => {
    const minted = spawnSync(process.execPath, [BIN, "idp", "credentials", "create", "--name", "ci-bot"], { cwd: app.root, encoding: "utf8", timeout: 60_000 });
    assert.equal(minted.status, 0, minted.stderr);
    const output = minted.stdout;
    const accessKeyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(output)?.[1];
    const secretAccessKey = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(output)?.[1];
    assert.ok(accessKeyId && secretAccessKey, output);
    const answer = await (await signedFetch(`${endpoint}/me`, { accessKeyId, secretAccessKey })).send();
    assert.equal(answer.status, 200);
    assert.match(JSON.parse(answer.body).iam.userArn, /:user\/ci-bot$/);
  });
});

describe("a Cognito user pool authorizer (test/apps/authorizer-cognito)", () => {
  let dev: Awaited<ReturnType<typeof devOn>>;
  let poolUrl: string;
  let issuer: string;
  let clientId: string;
  const initiateAuth = async (client: string, password = "Pool-user-2026!") => {
    const response = await fetch(poolUrl, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth" },
      body: JSON.stringify({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: client, AuthParameters: { USERNAME: "pool.user@example.com", PASSWORD: password } }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  before(async () => {
    dev = await devOn("authorizer-cognito");
    const [tenant] = dev.session.tenants;
    [poolUrl, issuer, clientId] = [tenant.url, tenant.issuer, tenant.applications[0].clientId];
    const store = new TenantStore(tenant.dataDir);
    await store.addUser({ email: "pool.user@example.com", password: "Pool-user-2026!" });
    store.upsertApplication({ clientId: "otherclient0000000000000ab" });
    store.close();
  });
  after(() => dev?.close());

  test("the embedded provider plays the pool's Cognito issuer, whose id and client are the stack's outputs", () => {
    const outputs = Object.values(dev.session.outputs())[0];
    assert.equal(issuer, `https://cognito-idp.eu-central-1.amazonaws.com/${outputs.UserPoolId}`);
    assert.equal(clientId, outputs.UserPoolClientId);
  });

  test("an ID token from InitiateAuth is accepted, with Cognito's claims", async () => {
    const { status, body } = await initiateAuth(clientId);
    assert.equal(status, 200);
    const profile = await get(`${dev.endpoint}/profile`, body.AuthenticationResult.IdToken);
    assert.equal(profile.status, 200);
    const { claims, scopes } = JSON.parse(profile.body);
    assert.deepEqual([claims.iss, claims.aud, claims.token_use, claims.email, scopes], [issuer, clientId, "id", "pool.user@example.com", null]);
    assert.equal(claims["cognito:username"], claims.sub);
  });

  test("an access token (client_id, no aud) is accepted; only it carries the scope a scoped route needs", async () => {
    const { body } = await initiateAuth(clientId);
    const { IdToken, AccessToken } = body.AuthenticationResult;
    const profile = await get(`${dev.endpoint}/profile`, `Bearer ${AccessToken}`);
    assert.equal(profile.status, 200);
    const { claims } = JSON.parse(profile.body);
    assert.deepEqual([claims.iss, claims.client_id, claims.token_use, "aud" in claims], [issuer, clientId, "access", false]);
    assert.equal((await get(`${dev.endpoint}/profile`, AccessToken, "PUT")).status, 200);
    assert.deepEqual(await get(`${dev.endpoint}/profile`, IdToken, "PUT").then((r) => [r.status, r.body]), [403, '{"message":"Forbidden"}']);
  });

  test("gatehouse idp token prints Cognito-shaped tokens the route accepts", async () => {
    const issued = spawnSync(process.execPath, [BIN, "idp", "token", "--email", "pool.user@example.com", "--password", "Pool-user-2026!"], {
      cwd: dev.app.root,
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(issued.status, 0, issued.stderr);
    const tokens = JSON.parse(issued.stdout) as { id_token: string; access_token: string };
    const byId = JSON.parse((await get(`${dev.endpoint}/profile`, `Bearer ${tokens.id_token}`)).body).claims;
    const byAccess = JSON.parse((await get(`${dev.endpoint}/profile`, `Bearer ${tokens.access_token}`)).body).claims;
    assert.deepEqual([byId.token_use, byId.aud, byAccess.token_use, byAccess.client_id], ["id", clientId, "access", clientId]);
  });

  test("tokens for another app client, tampered tokens and wrong passwords are refused", async () => {
    const other = (await initiateAuth("otherclient0000000000000ab")).body.AuthenticationResult;
    assert.equal((await get(`${dev.endpoint}/profile`, other.IdToken)).status, 401);
    assert.equal((await get(`${dev.endpoint}/profile`, other.AccessToken)).status, 401);
    const good: string = (await initiateAuth(clientId)).body.AuthenticationResult.IdToken;
    const [header, payload, signature] = good.split(".");
    const forged = JSON.parse(Buffer.from(payload, "base64url").toString());
    forged.email = "admin@example.com";
    assert.equal((await get(`${dev.endpoint}/profile`, [header, Buffer.from(JSON.stringify(forged)).toString("base64url"), signature].join("."))).status, 401);
    assert.deepEqual(await initiateAuth(clientId, "wrong-password"), { status: 400, body: { __type: "NotAuthorizedException", message: "Incorrect username or password." } });
    assert.equal((await get(`${dev.endpoint}/hello`)).body, "hello");
  });
});
