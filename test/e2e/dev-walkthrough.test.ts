import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type CliProcess, pollUntil, startCli } from "../support/cli-process.js";
import { tempApp } from "../support/temp-app.js";

describe("gatehouse dev on a copy of the walkthrough app", () => {
  const app = tempApp();
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

  test("prints the outputs as SST does", () => {
    assert.match(dev.output(), /Stack dev-api-auth-jwt-auth0-my-stack\n {2}Status: deployed\n {2}Outputs:\n {4}ApiEndpoint: http:\/\/127\.0\.0\.1:\d+\n/);
    assert.match(dev.output(), /note: runtime "nodejs14\.x" is accepted/);
  });

  test("GET /public answers Hello stranger!", async () => {
    const response = await fetch(`${endpoint}/public`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "Hello stranger!");
    assert.match(response.headers.get("apigw-requestid") ?? "", /^[A-Za-z0-9_-]{15}=$/);
  });

  test("GET /private without a token is refused as API Gateway refuses it", async () => {
    const response = await fetch(`${endpoint}/private`);
    assert.equal(response.status, 401);
    assert.equal(await response.text(), '{"message":"Unauthorized"}');
    assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer scope="" error="invalid_token" error_description="/);
  });

  test("GET /nowhere is 404 Not Found", async () => {
    const response = await fetch(`${endpoint}/nowhere`);
    assert.equal(response.status, 404);
    assert.equal(await response.text(), '{"message":"Not Found"}');
  });

  test("a saved edit to src/public.js is served without a restart", async () => {
    app.write("src/public.js", `export async function main() {\n  return { statusCode: 200, body: "Hello again!" };\n}\n`);
    const body = await pollUntil(`${endpoint}/public`, (text) => text === "Hello again!");
    assert.equal(body, "Hello again!");
  });

  test("a syntax error prints file:line and the last good build keeps serving", async () => {
    app.write("src/public.js", `export async function main() {\n  return { statusCode: 200, body: "broken" ;\n}\n`);
    await dev.waitFor(/src\/public\.js:2:\d+: error:/);
    assert.equal(await (await fetch(`${endpoint}/public`)).text(), "Hello again!");
    app.write("src/public.js", `export async function main() {\n  return { statusCode: 200, body: "fixed" };\n}\n`);
    assert.equal(await pollUntil(`${endpoint}/public`, (text) => text === "fixed"), "fixed");
  });

  test("a stack edit adding a route applies without a restart", async () => {
    app.write("src/extra.js", `export const main = async (event) => ({ id: event.pathParameters.id });\n`);
    const stack = app.root + "/stacks/MyStack.js";
    const { readFileSync } = await import("node:fs");
    const source = readFileSync(stack, "utf8").replace(
      `"GET /private": "src/private.main",`,
      `"GET /private": "src/private.main",\n        "GET /extra/{id}": { function: "src/extra.main", authorizationType: sst.ApiAuthorizationType.NONE },`,
    );
    app.write("stacks/MyStack.js", source);
    const body = await pollUntil(`${endpoint}/extra/42`, (text) => text.includes("42"));
    assert.equal(body, '{"id":"42"}');
  });

  test("Ctrl-C stops everything and the process exits cleanly", async () => {
    const code = await dev.stop();
    assert.equal(code, 0);
    await assert.rejects(fetch(`${endpoint}/public`));
  });
});
