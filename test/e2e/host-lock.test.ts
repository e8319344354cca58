import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { BIN } from "../support/cli-process.js";
import { endpointIn, isolatedHost } from "../support/host-env.js";
import { hostProcesses } from "../support/host-processes.js";
import { tempApp } from "../support/temp-app.js";

type Host = ReturnType<typeof isolatedHost>;

/** Runs `gatehouse <args>` without blocking the test (so several can run at once). */
function runAsync(host: Host, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...host.env, ...env } });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

function hostPid(home: string): number {
  return (JSON.parse(readFileSync(join(home, "host.json"), "utf8")) as { pid: number }).pid;
}

describe("one host per GATEHOUSE_HOME", () => {
  const host = isolatedHost();
  const app = tempApp();
  let stopped: number | undefined;
  after(() => {
    if (stopped) process.kill(stopped, "SIGCONT");
    host.cleanup();
    app.remove();
  });

  test("two `host start` at once: one host, and both commands report it", async () => {
    const [a, b] = await Promise.all([runAsync(host, ["host", "start"], app.root), runAsync(host, ["host", "start"], app.root)]);
    assert.equal(a.code, 0, a.out);
    assert.equal(b.code, 0, b.out);
    const hosts = hostProcesses(host.home);
    assert.equal(hosts.length, 1, `host processes: ${hosts.join(", ")}`);
    assert.match(a.out, new RegExp(`pid ${hosts[0]}\\b`));
    assert.match(b.out, new RegExp(`pid ${hosts[0]}\\b`));
  });

  test("a second `host run` refuses to start and names the host holding the home", async () => {
    const running = hostProcesses(host.home)[0];
    const second = await host.run(["host", "run"], app.root);
    assert.equal(second.code, 1, second.out);
    assert.match(second.out, /GH_ERR_HOST_RUNNING/);
    assert.match(second.out, new RegExp(`pid ${running}\\b`));
    assert.deepEqual(hostProcesses(host.home), [running]);
  });

  test("a stopped (SIGSTOP) host is busy, not absent: deploy is refused, no second host starts, status says so", async () => {
    const first = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(first.code, 0, first.out);
    const url = `${endpointIn(first.out)}/public`;
    const pid = hostPid(host.home);
    process.kill(pid, "SIGSTOP");
    stopped = pid;
    app.write("src/public.js", `export async function main() { return { statusCode: 200, body: "second version" }; }\n`);
    const deploy = await runAsync(host, ["deploy", "--stage", "prod"], app.root, { GATEHOUSE_HOST_WAIT_MS: "3000" });
    assert.equal(deploy.code, 1, deploy.out);
    assert.match(deploy.out, /GH_ERR_HOST_UNRESPONSIVE/);
    assert.match(deploy.out, new RegExp(`pid ${pid}\\b`));
    assert.doesNotMatch(deploy.out, /crashed|\n\s+at /, "one line, no stack");
    assert.deepEqual(hostProcesses(host.home), [pid], "never a second host");

    const status = await runAsync(host, ["host", "status"], app.root, { GATEHOUSE_HOST_STATUS_TIMEOUT_MS: "1000" });
    assert.equal(status.code, 4, `a hung host is told from a stopped one: ${status.out}`);
    assert.match(status.out, new RegExp(`pid ${pid}\\b.*not answer`, "s"));
    const list = (await host.run(["list"], app.root)).out;
    assert.match(list, /prod\s+1\s/, "the refused deploy left version 1 live");
    assert.match(list, new RegExp(`unknown \\(host pid ${pid} not answering\\)`), "list does not call a stopped host's stages down");

    process.kill(pid, "SIGCONT");
    stopped = undefined;
    const resumed = await host.run(["host", "status"], app.root);
    assert.equal(resumed.code, 0, resumed.out);
    assert.match(resumed.out, /prod version 1/);
    assert.notEqual(await (await fetch(url)).text(), "second version");
    const retried = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(retried.code, 0, retried.out);
    assert.match(retried.out, /Version 2 is live/);
    assert.equal(await (await fetch(url)).text(), "second version");
    assert.deepEqual(hostProcesses(host.home), [pid]);
  });

  test("host stop, then status: no host, the lock is free", async () => {
    assert.equal((await host.run(["host", "stop"], app.root)).code, 0);
    assert.deepEqual(hostProcesses(host.home), []);
    assert.equal((await host.run(["host", "status"], app.root)).code, 3);
  });
});

describe("two first deploys at once, with no host running", () => {
  const host = isolatedHost();
  const app = tempApp();
  after(() => {
    host.cleanup();
    app.remove();
  });

  test("start exactly one host, which serves both", async () => {
    const [prod, staging] = await Promise.all([runAsync(host, ["deploy", "--stage", "prod"], app.root), runAsync(host, ["deploy", "--stage", "staging"], app.root)]);
    assert.equal(prod.code, 0, prod.out);
    assert.equal(staging.code, 0, staging.out);
    const hosts = hostProcesses(host.home);
    assert.equal(hosts.length, 1, `host processes: ${hosts.join(", ")}`);
    for (const deploy of [prod, staging]) assert.equal(await (await fetch(`${endpointIn(deploy.out)}/public`)).text(), "Hello stranger!");
  });
});
