import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, describe, test } from "node:test";
import { hostHome, stageLockPath } from "../../src/host/host-home.js";
import { OsLock } from "../../src/host/os-lock.js";
import { BIN } from "../support/cli-process.js";
import { endpointIn, isolatedHost } from "../support/host-env.js";
import { tempApp } from "../support/temp-app.js";

type Host = ReturnType<typeof isolatedHost>;
type App = ReturnType<typeof tempApp>;

const APP_NAME = "api-auth-jwt-auth0";

function setBody(app: App, body: string): void {
  app.write("src/public.js", `export async function main() {\n  return { statusCode: 200, body: ${JSON.stringify(body)} };\n}\n`);
}

/** Starts `gatehouse <args>`; `onExit` runs the moment it exits, before the result resolves. */
function runAsync(host: Host, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, onExit?: () => Promise<unknown>): Promise<{ code: number | null; out: string; atExit?: unknown }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...host.env, ...env } });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("exit", async (code) => resolve({ code, out, atExit: await onExit?.() }));
  });
}

async function liveVersion(host: Host, cwd: string): Promise<number | undefined> {
  const match = /prod\s+(\d+)\s/.exec((await host.run(["list"], cwd)).out);
  return match ? Number(match[1]) : undefined;
}

describe("two deploys of one stage at once, five rounds", () => {
  const host = isolatedHost();
  // Two checkouts of the same app (same name), each with its own body, deployed to the same stage.
  const left = tempApp();
  const right = tempApp();
  after(() => {
    host.cleanup();
    left.remove();
    right.remove();
  });

  test("each command reports the version that went live, and the stage serves the last one", async () => {
    setBody(left, "left 0");
    const first = await host.run(["deploy", "--stage", "prod"], left.root);
    assert.equal(first.code, 0, first.out);
    const url = `${endpointIn(first.out)}/public`;
    let expected = 1;
    for (let round = 1; round <= 5; round++) {
      setBody(left, `left ${round}`);
      setBody(right, `right ${round}`);
      // What the stage serves the moment each command returns: its own version, whatever the other does.
      const servedNow = () => fetch(url).then((response) => response.text());
      const results = await Promise.all(
        [left, right].map((app) =>
          runAsync(host, ["deploy", "--stage", "prod"], app.root, {}, servedNow).then((result) => ({ ...result, body: `${app === left ? "left" : "right"} ${round}` })),
        ),
      );
      const reports = results.map((result) => {
        assert.equal(result.code, 0, `round ${round}: ${result.out}`);
        const version = /Version (\d+) is live/.exec(result.out)?.[1];
        assert.ok(version, `round ${round} reports a live version: ${result.out}`);
        return { version: Number(version), body: result.body, servedAtExit: result.atExit };
      });
      assert.deepEqual(
        reports.map((report) => report.version).sort(),
        [expected + 1, expected + 2],
        `round ${round}: two new versions, one each`,
      );
      const [earlier, later] = [...reports].sort((a, b) => a.version - b.version);
      assert.equal(earlier.servedAtExit, earlier.body, `round ${round}: version ${earlier.version} was live when its command said so`);
      assert.equal(later.servedAtExit, later.body, `round ${round}: version ${later.version} was live when its command said so`);
      assert.equal(await liveVersion(host, left.root), later.version, `round ${round}: list shows the last reported version`);
      assert.equal(await (await fetch(url)).text(), later.body);
      expected += 2;
    }
  });
});

describe("a deploy of a stage another process is changing", () => {
  const host = isolatedHost();
  const app = tempApp();
  after(() => {
    host.cleanup();
    app.remove();
  });

  test("waits its bounded time, then fails with GH_ERR_STAGE_BUSY naming the holder; runs once the stage is free", async () => {
    const lock = new OsLock(stageLockPath(hostHome(host.env), APP_NAME, "prod"));
    assert.equal(lock.tryAcquire(), true);
    try {
      const deploy = await runAsync(host, ["deploy", "--stage", "prod"], app.root, { GATEHOUSE_STAGE_LOCK_WAIT_MS: "500" });
      assert.equal(deploy.code, 1, deploy.out);
      assert.match(deploy.out, /GH_ERR_STAGE_BUSY/);
      assert.ok(deploy.out.includes(`another deploy of prod is running (pid ${process.pid})`), deploy.out);
      const remove = await runAsync(host, ["remove", "--stage", "prod", "--yes"], app.root, { GATEHOUSE_STAGE_LOCK_WAIT_MS: "500" });
      assert.equal(remove.code, 1, remove.out);
      assert.match(remove.out, /GH_ERR_STAGE_BUSY/);
      const other = await runAsync(host, ["deploy", "--stage", "staging"], app.root, { GATEHOUSE_STAGE_LOCK_WAIT_MS: "500" });
      assert.equal(other.code, 0, `another stage is not held up: ${other.out}`);
    } finally {
      lock.release();
    }
    const deploy = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(deploy.code, 0, deploy.out);
    assert.match(deploy.out, /Version 1 is live/);
  });
});
