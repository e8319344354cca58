import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type CliProcess, startCli } from "../support/cli-process.js";
import { type BinRun, runBin } from "../support/run-bin.js";

const workspace = mkdtempSync(join(tmpdir(), "gatehouse-e2e-create-"));
after(() => rmSync(workspace, { recursive: true, force: true }));

/** Runs `gatehouse create <args>` in `cwd` as a user would, through bin/gatehouse.js. */
function create(args: string[], cwd: string): Promise<BinRun> {
  return runBin(["create", ...args], { cwd });
}

/** Creates an app in a fresh directory, then starts `gatehouse dev` in it on free ports. */
function createAndServe(name: string, args: string[]) {
  const parent = join(workspace, name);
  mkdirSync(parent);
  const state = { created: undefined as unknown as BinRun, dev: undefined as CliProcess | undefined, endpoint: "" };
  before(async () => {
    state.created = await create(["my-api", ...args], parent);
    assert.equal(state.created.code, 0, state.created.stderr);
    state.dev = startCli(["dev", "--port", "0", "--idp-port", "0"], join(parent, "my-api"));
    state.endpoint = (await state.dev.waitFor(/^ {4}ApiEndpoint: (http:\/\/127\.0\.0\.1:\d+)$/m, 30_000))[1];
    await state.dev.waitFor(/Ready in \d+ ms/);
  });
  after(async () => {
    await state.dev?.stop();
  });
  return state;
}

/** The walkthrough template's two routes, as the walkthrough shows them without a token. */
function walkthroughRoutes(app: { endpoint: string }) {
  test("GET /public answers Hello stranger!", async () => {
    const response = await fetch(`${app.endpoint}/public`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "Hello stranger!");
  });

  test("GET /private without a token is 401", async () => {
    const response = await fetch(`${app.endpoint}/private`);
    assert.equal(response.status, 401);
    assert.equal(await response.text(), '{"message":"Unauthorized"}');
  });
}

describe("gatehouse create my-api, then gatehouse dev in it", () => {
  const app = createAndServe("default", []);

  test("create lists the walkthrough files and the next steps", () => {
    const out = app.created.stdout;
    assert.match(out, /^Created my-api from the api-auth-jwt-auth0 template \(javascript\)/);
    assert.match(out, /\n {2}src\/private\.js\n {2}src\/public\.js\n/);
    assert.match(out, /\nNext steps:\n {2}cd my-api\n {2}gatehouse dev\n/);
  });

  test("dev serves the new app under its own name with the embedded identity provider", () => {
    assert.match(app.dev!.output(), /Stack dev-my-api-my-stack\n {2}Status: deployed\n/);
    assert.match(app.dev!.output(), /Identity provider for https:\/\/myorg\.us\.auth0\.com\/ \(embedded, at http:\/\/127\.0\.0\.1:\d+\/\)/);
  });

  walkthroughRoutes(app);
});

describe("gatehouse create my-api --template minimal --language typescript, then gatehouse dev", () => {
  const app = createAndServe("minimal-ts", ["--template", "minimal", "--language", "typescript"]);

  test("the app is written in TypeScript", () => {
    const files = readdirSync(join(workspace, "minimal-ts", "my-api"), { recursive: true })
      .map(String)
      .filter((file) => !file.startsWith(".gatehouse"))
      .sort();
    assert.deepEqual(files, [".gitignore", "package.json", "src", "src/lambda.ts", "sst.json", "stacks", "stacks/MyStack.ts", "stacks/index.ts", "tsconfig.json"]);
  });

  test("GET / answers Hello from Gatehouse!", async () => {
    const response = await fetch(`${app.endpoint}/`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "Hello from Gatehouse!");
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
  });

  test("no identity provider is started for an app without an authorizer", () => {
    assert.doesNotMatch(app.dev!.output(), /Identity provider for/);
  });
});

describe("gatehouse create my-api --language typescript, then gatehouse dev", () => {
  const app = createAndServe("auth-ts", ["--language", "typescript"]);

  walkthroughRoutes(app);

  test("a user signed up at the embedded provider gets Hello user! from GET /private", async () => {
    const output = app.dev!.output();
    const issuer = output.match(/\(embedded, at (http:\/\/127\.0\.0\.1:\d+\/)\)/)![1];
    const [, clientId, clientSecret] = output.match(/client_id=(\w+)&client_secret=([\w-]+)&/)!;
    const signup = await fetch(`${issuer}dbconnections/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: clientId, email: "ada@example.com", password: "Correct-horse-9", connection: "Username-Password-Authentication" }),
    });
    assert.equal(signup.status, 200, await signup.clone().text());
    const token = await fetch(`${issuer}oauth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password", client_id: clientId, client_secret: clientSecret, username: "ada@example.com", password: "Correct-horse-9", scope: "openid" }),
    });
    const tokens = (await token.json()) as { id_token?: string };
    assert.ok(tokens.id_token, JSON.stringify(tokens));
    const response = await fetch(`${app.endpoint}/private`, { headers: { authorization: `Bearer ${tokens.id_token}` } });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "Hello user!");
  });
});

describe("gatehouse create refusals, as the user sees them", () => {
  test("a non-empty directory: Error naming it and the fix, no stack, exit 1", async () => {
    const parent = join(workspace, "refusals");
    mkdirSync(join(parent, "taken"), { recursive: true });
    writeFileSync(join(parent, "taken", "README.md"), "mine");
    const run = await create(["taken"], parent);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^Error \[GH_ERR_CONFIG_INVALID\]: taken is not empty \(it holds README\.md\)\. Fix: pick a new directory name, or empty taken first; gatehouse create never overwrites files\.\n$/);
  });

  test("an unknown template: Error listing the choices, exit 1", async () => {
    const run = await create(["x", "--template", "react"], join(workspace, "refusals"));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^Error \[GH_ERR_FLAG_INVALID\]: --template "react" is not a template\. Choose one of: api-auth-jwt-auth0 \(default\), minimal\.\n$/);
  });
});
