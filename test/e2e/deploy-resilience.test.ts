import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import autocannon from "autocannon";
import { BIN } from "../support/cli-process.js";
import { endpointIn, isolatedHost } from "../support/host-env.js";
import { tempApp } from "../support/temp-app.js";

function setBody(app: ReturnType<typeof tempApp>, body: string): void {
  app.write("src/public.js", `export async function main() {\n  return { statusCode: 200, body: ${JSON.stringify(body)} };\n}\n`);
}

function hostPid(home: string): number {
  return (JSON.parse(readFileSync(join(home, "host.json"), "utf8")) as { pid: number }).pid;
}

async function waitForExit(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`process ${pid} did not exit`);
}

describe("a new version goes live under load with zero failed requests", () => {
  const host = isolatedHost();
  const app = tempApp();
  after(async () => {
    await host.cleanup();
    app.remove();
  });

  test("redeploy at 50 connections: no failure, the new body as soon as deploy returns", async () => {
    setBody(app, "version one");
    const first = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(first.code, 0, first.out);
    const url = `${endpointIn(first.out)}/public`;
    const load = autocannon({ url, connections: 50, duration: 6 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    setBody(app, "version two");
    const second = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, "deploy", "--stage", "prod"], { cwd: app.root, env: { ...process.env, ...host.env } });
      let out = "";
      child.stdout.on("data", (chunk) => (out += chunk));
      child.stderr.on("data", (chunk) => (out += chunk));
      child.on("exit", (code) => resolve({ code, out }));
    });
    assert.equal(second.code, 0, second.out);
    assert.match(second.out, /Version 2 is live/);
    // "Live" means switched: the first request after the command returns is answered by the new version.
    assert.equal(await (await fetch(url)).text(), "version two");
    const result = await load;
    assert.ok(result.requests.total > 1000, `the load ran (${result.requests.total} requests)`);
    assert.equal(result.errors, 0, "no connection errors");
    assert.equal(result.timeouts, 0, "no timeouts");
    assert.equal(result.non2xx, 0, "no failed responses");
  });
});

describe("crash safety: a host killed with SIGKILL restarts serving the last completed version", () => {
  const host = isolatedHost();
  const app = tempApp();
  after(async () => {
    await host.cleanup();
    app.remove();
  });
  let url: string;

  test("killed after a deploy: the restarted host serves that version on the same port", async () => {
    setBody(app, "deployed one");
    const deploy = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(deploy.code, 0, deploy.out);
    url = `${endpointIn(deploy.out)}/public`;
    const pid = hostPid(host.home);
    process.kill(pid, "SIGKILL");
    await waitForExit(pid);
    await assert.rejects(fetch(url), "nothing serves while the host is down");
    const start = await host.run(["host", "start"], app.root);
    assert.equal(start.code, 0, start.out);
    assert.equal(await (await fetch(url)).text(), "deployed one");
  });

  test("killed in the middle of a deploy: it serves the last version the database completed", async () => {
    setBody(app, "deployed two");
    const child = spawn(process.execPath, [BIN, "deploy", "--stage", "prod"], { cwd: app.root, env: { ...process.env, ...host.env } });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    // Kill the host while the deploy is asking it to switch versions.
    await new Promise<void>((resolve) => {
      const check = () => {
        if (/deploying\.\.\./.test(out)) {
          child.stdout.off("data", check);
          resolve();
        }
      };
      child.stdout.on("data", check);
    });
    process.kill(hostPid(host.home), "SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    const start = await host.run(["host", "start"], app.root);
    assert.equal(start.code, 0, start.out);
    const list = (await host.run(["list"], app.root)).out;
    const live = /prod\s+(\d+)/.exec(list)?.[1];
    assert.ok(live === "1" || live === "2", list);
    assert.equal(await (await fetch(url)).text(), live === "2" ? "deployed two" : "deployed one");
  });

  test("a deploy killed while it builds leaves the previous version live", async () => {
    const before = /prod\s+(\d+)/.exec((await host.run(["list"], app.root)).out)?.[1];
    const servedBefore = await (await fetch(url)).text();
    setBody(app, "never deployed");
    const child = spawn(process.execPath, [BIN, "deploy", "--stage", "prod"], { cwd: app.root, env: { ...process.env, ...host.env } });
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    assert.equal(/prod\s+(\d+)/.exec((await host.run(["list"], app.root)).out)?.[1], before);
    assert.equal(await (await fetch(url)).text(), servedBefore);
  });
});

describe("a redeploy that adds an Api", () => {
  const host = isolatedHost();
  const app = tempApp();
  after(async () => {
    await host.cleanup();
    app.remove();
  });

  test("serves it on the port the deployments database gives it, before and after a host restart", async () => {
    assert.equal((await host.run(["deploy", "--stage", "prod"], app.root)).code, 0);
    const stack = readFileSync(join(app.root, "stacks/MyStack.js"), "utf8").replace(
      "// Show the API endpoint",
      `new sst.Api(this, "Admin", { routes: { "GET /admin": "src/public.main" } });\n\n    // Show the API endpoint`,
    );
    app.write("stacks/MyStack.js", stack);
    const redeploy = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(redeploy.code, 0, redeploy.out);
    const listed = /prod\s+2\s+(http:\/\/127\.0\.0\.1:\d+) (http:\/\/127\.0\.0\.1:\d+)/.exec((await host.run(["list"], app.root)).out);
    assert.ok(listed, "list shows both endpoints");
    const admin = listed[2];
    assert.equal(await (await fetch(`${admin}/admin`)).text(), "Hello stranger!");
    process.kill(hostPid(host.home), "SIGKILL");
    await waitForExit(hostPid(host.home));
    assert.equal((await host.run(["host", "start"], app.root)).code, 0);
    assert.equal(await (await fetch(`${admin}/admin`)).text(), "Hello stranger!");
  });
});

describe("a version the host cannot serve", () => {
  const host = isolatedHost();
  const app = tempApp();
  after(async () => {
    await host.cleanup();
    app.remove();
  });

  test("is not left live: the deploy fails and the previous version keeps serving", async () => {
    setBody(app, "good version");
    const first = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(first.code, 0, first.out);
    const url = `${endpointIn(first.out)}/public`;
    // Version 2 adds a stage tenant whose data folder cannot be created (a file stands in its way).
    const stack = readFileSync(join(app.root, "stacks/MyStack.js"), "utf8").replace("// Create Api", `new sst.Auth(this, "Auth");\n\n    // Create Api`);
    app.write("stacks/MyStack.js", stack);
    setBody(app, "unservable version");
    const { mkdirSync, writeFileSync } = await import("node:fs");
    mkdirSync(join(host.home, "state", "api-auth-jwt-auth0", "prod", "auth"), { recursive: true });
    writeFileSync(join(host.home, "state", "api-auth-jwt-auth0", "prod", "auth", "my-stack_Auth"), "in the way");
    const second = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(second.code, 1, second.out);
    assert.match(second.out, /could not serve version 2 .*; version 1 stays live/);
    assert.match((await host.run(["list"], app.root)).out, /prod\s+1\s/);
    assert.equal(await (await fetch(url)).text(), "good version");
  });

  test("the host's control port obeys only whoever can read host.json", async () => {
    const file = JSON.parse(readFileSync(join(host.home, "host.json"), "utf8")) as { controlPort: number; token: string };
    const forged = await fetch(`http://127.0.0.1:${file.controlPort}/stop`, { method: "POST" });
    assert.equal(forged.status, 403);
    const { statSync } = await import("node:fs");
    assert.equal(statSync(join(host.home, "host.json")).mode & 0o077, 0, "host.json is private to its owner");
    assert.match((await host.run(["host", "status"], host.home)).out, /Host running/);
  });
});
