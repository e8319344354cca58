/**
 * Faulty handlers behind the real gateway and worker runtime: each gets API Gateway's 500, nothing else is
 * disturbed, and the same route answers again on the next request.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type DevSession, startDev } from "../../src/dev/dev-session.js";
import { memoryLogger } from "../../src/log.js";
import { stackApp } from "../support/temp-app.js";

const FLAKY = (fault: string) => `let calls = 0;
export async function main(event) {
  calls++;
  if (event.queryStringParameters?.fault === "yes") { ${fault} }
  return { statusCode: 200, body: "recovered after " + calls };
}
`;

describe("handler faults through gateway and runtime", () => {
  const logger = memoryLogger();
  const app = stackApp(
    `new sst.Api(this, "Api", {
      defaultFunctionProps: { timeout: 1, memorySize: 128 },
      routes: {
        "GET /ok": "src/hello.main",
        "GET /throws": "src/throws.main",
        "GET /hangs": "src/hangs.main",
        "GET /spins": "src/spins.main",
        "GET /exits": "src/exits.main",
        "GET /hungry": "src/hungry.main",
        "GET /malformed": "src/malformed.main",
        "GET /logs": "src/logs.main",
        "POST /upload": "src/hello.main",
      },
    });`,
    {
      "src/throws.js": FLAKY(`throw new Error("boom");`),
      "src/hangs.js": FLAKY(`await new Promise(() => {});`),
      "src/spins.js": FLAKY(`for (;;) {}`),
      "src/exits.js": FLAKY(`process.exit(1);`),
      "src/hungry.js": FLAKY(`const hoard = []; for (;;) hoard.push(new Array(1e6).fill(Math.random()));`),
      "src/malformed.js": `export const main = async () => ({ statusCode: "two hundred", body: 42 });\n`,
      "src/logs.js": `export const main = async (event, context) => { console.log("seen", event.rawPath); return context.awsRequestId; };\n`,
    },
  );
  let session: DevSession;
  let url: string;
  before(async () => {
    session = await startDev({ cwd: app.root, port: 0, idpPort: 0, watch: false, logger });
    url = Object.values(session.endpoints())[0];
  });
  after(async () => {
    await session?.close();
    app.remove();
  });

  for (const route of ["throws", "hangs", "spins", "exits", "hungry"]) {
    test(`/${route}: 500 Internal Server Error, other routes unaffected, then the route recovers`, async () => {
      const failed = await fetch(`${url}/${route}?fault=yes`);
      assert.equal(failed.status, 500);
      assert.equal(await failed.text(), '{"message":"Internal Server Error"}');
      assert.equal(await (await fetch(`${url}/ok`)).text(), "hello");
      const again = await fetch(`${url}/${route}`);
      assert.equal(again.status, 200);
      assert.match(await again.text(), /^recovered after \d+$/);
    });
  }

  test("an event over Lambda's 6 MB request limit is refused with 413 before the function runs", async () => {
    const body = Buffer.alloc(5 * 1024 * 1024, 1); // 5 MB, base64 in the event: about 6.7 MB
    const response = await fetch(`${url}/upload`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body });
    assert.equal(response.status, 413);
    assert.equal(await response.text(), '{"message":"Request Entity Too Large"}');
    const small = await fetch(`${url}/upload`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: Buffer.alloc(1024) });
    assert.equal(await small.text(), "hello");
  });

  test("a malformed response is API Gateway's 500", async () => {
    const response = await fetch(`${url}/malformed`);
    assert.equal(response.status, 500);
    assert.equal(await response.text(), '{"message":"Internal Server Error"}');
  });

  test("handler console output is logged with the handler and the request id", async () => {
    const requestId = await (await fetch(`${url}/logs`)).text();
    assert.ok(logger.lines.some((line) => line === `[src/logs.main] ${requestId} INFO seen /logs`), logger.lines.join("\n"));
  });

  test("a timeout is logged as Lambda logs it", () => {
    assert.ok(logger.lines.some((line) => line.includes("Task timed out after 1.00 seconds")));
  });
});
