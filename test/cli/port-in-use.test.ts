import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { after, before, describe, test } from "node:test";
import { runBin } from "../support/run-bin.js";
import { tempApp } from "../support/temp-app.js";

describe("gatehouse dev on ports another process holds", () => {
  const app = tempApp();
  const squatter: Server = createServer();
  let busy: number;

  before(async () => {
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    busy = (squatter.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise((resolve) => squatter.close(resolve));
    app.remove();
  });

  for (const [flag, other] of [
    ["--port", "--idp-port"],
    ["--idp-port", "--port"],
  ] as const) {
    test(`a taken ${flag}: one PORT_IN_USE line naming the port and ${flag}, exit 1`, async () => {
      const run = await runBin(["dev", flag, String(busy), other, "0"], { cwd: app.root });
      assert.equal(run.code, 1);
      // The error is the last line (dev's notes about the stacks may come before it) and the only one.
      assert.match(run.stderr, new RegExp(`(^|\\n)Error \\[GH_ERR_PORT_IN_USE\\]: [^\\n]*port ${busy}[^\\n]*Fix: [^\\n]*${flag} [^\\n]*\\n$`));
      assert.equal(run.stderr.match(/Error \[/g)?.length, 1);
    });
  }
});
