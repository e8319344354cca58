import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { wantsColor } from "../../src/gateway/access-log.js";
import { startDev } from "../../src/dev/dev-session.js";
import { memoryLogger } from "../../src/log.js";
import { stackApp } from "../support/temp-app.js";

const STACK = `new sst.Api(this, "Api", { routes: { "GET /hello": "src/hello.main", "GET /boom": "src/boom.main" } });`;

async function session(quiet: boolean) {
  const app = stackApp(STACK, {
    "src/hello.js": `export async function main() { console.log("hello ran"); return { statusCode: 200, body: "hello" }; }\n`,
    "src/boom.js": `export async function main() { throw new Error("boom"); }\n`,
  });
  const logger = memoryLogger();
  const dev = await startDev({ cwd: app.root, port: 0, idpPort: 0, watch: false, logger, quiet, console: false });
  const url = Object.values(dev.endpoints())[0];
  return {
    logger,
    url,
    async close() {
      await dev.close();
      app.remove();
    },
  };
}

describe("access log of gatehouse dev", () => {
  test("one line per request, plain when not asked for colour", async () => {
    const dev = await session(false);
    try {
      assert.equal(await (await fetch(`${dev.url}/hello`)).text(), "hello");
      const lines = dev.logger.lines.filter((line) => line.includes(" → "));
      assert.equal(lines.length, 1, dev.logger.lines.join("\n"));
      assert.match(lines[0], /^\d\d:\d\d:\d\d GET \/hello → GET \/hello 200 \d+ ms$/);
    } finally {
      await dev.close();
    }
  });

  test("--quiet: no access lines, but handler output and errors still print", async () => {
    const dev = await session(true);
    try {
      await fetch(`${dev.url}/hello`);
      assert.equal((await fetch(`${dev.url}/boom`)).status, 500);
      assert.equal(dev.logger.lines.filter((line) => line.includes(" → ")).length, 0, dev.logger.lines.join("\n"));
      assert.ok(dev.logger.lines.some((line) => line.includes("INFO hello ran")));
      assert.ok(dev.logger.lines.some((line) => line.includes("Invoke Error") && line.includes("boom")));
    } finally {
      await dev.close();
    }
  });

  test("colour only on a terminal, and never with NO_COLOR set", () => {
    assert.equal(wantsColor({ isTTY: true }, {}), true);
    assert.equal(wantsColor({ isTTY: false }, {}), false);
    assert.equal(wantsColor({}, {}), false);
    assert.equal(wantsColor({ isTTY: true }, { NO_COLOR: "1" }), false);
    // no-color.org: an empty NO_COLOR does not count.
    assert.equal(wantsColor({ isTTY: true }, { NO_COLOR: "" }), true);
  });
});
