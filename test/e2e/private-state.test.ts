import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { isolatedHost } from "../support/host-env.js";
import { tempApp } from "../support/temp-app.js";

const ISSUER = "https://myorg.us.auth0.com/";

/** Every path under `root` (itself included), symbolic links left out. */
function walk(root: string): string[] {
  const stat = lstatSync(root);
  if (stat.isSymbolicLink()) return [];
  return stat.isDirectory() ? [root, ...readdirSync(root).flatMap((name) => walk(join(root, name)))] : [root];
}

/** Paths under `root` that a user other than the owner could read or enter, with their modes. */
function notPrivate(root: string): string[] {
  return walk(root)
    .filter((path) => {
      const stat = lstatSync(path);
      return stat.isDirectory() ? (stat.mode & 0o777) !== 0o700 : (stat.mode & 0o077) !== 0;
    })
    .map((path) => `${relative(root, path) || "."} ${(lstatSync(path).mode & 0o777).toString(8)}`);
}

/** Opens every folder and loosens every file, as an older Gatehouse or a umask of 022 would have left them. */
function loosen(root: string): void {
  for (const path of walk(root)) chmodSync(path, lstatSync(path).isDirectory() ? 0o755 : 0o644);
}

const runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find(existsSync);
const asAnotherUser = process.getuid?.() === 0 && runuser !== undefined;
const skipReason = process.getuid?.() !== 0 ? "needs root to act as another local user (runuser -u nobody)" : "runuser is not installed";

describe("secrets are for their owner only", () => {
  const host = isolatedHost();
  const app = tempApp();
  const appState = join(app.root, ".gatehouse");

  before(async () => {
    // The stage gets its own tenant (keys, client secrets) in GATEHOUSE_HOME, besides the dev tenant in the app.
    const stack = readFileSync(join(app.root, "stacks/MyStack.js"), "utf8").replace("// Create Api", `new sst.Auth(this, "Auth");\n\n    // Create Api`);
    app.write("stacks/MyStack.js", stack);
    // Folders as a user's shell would create them (umask 022), so only Gatehouse's own modes protect what is inside.
    chmodSync(host.home, 0o755);
    chmodSync(app.root, 0o755);
    const deploy = await host.run(["deploy", "--stage", "prod"], app.root);
    assert.equal(deploy.code, 0, deploy.out);
    const add = await host.run(["idp", "users", "add", "--issuer", ISSUER, "--email", "owner@example.com", "--password", "Str0ng-enough"], app.root);
    assert.equal(add.code, 0, add.out);
  });
  after(() => {
    host.cleanup();
    app.remove();
  });

  const secretFiles = () => {
    const files = [...walk(host.home), ...walk(appState)].filter((path) => lstatSync(path).isFile());
    const wanted = files.filter((path) => /identity\.sqlite|deployments\.sqlite|host\.json|host\.lock|artifact\.json/.test(path));
    assert.ok(wanted.filter((path) => path.endsWith("identity.sqlite")).length >= 2, `a stage tenant and a dev tenant exist: ${wanted.join("\n")}`);
    assert.ok(wanted.some((path) => path.endsWith("host.json")));
    return wanted;
  };

  test("every folder is 0700 and no file grants group or other access, in GATEHOUSE_HOME and in .gatehouse", () => {
    secretFiles();
    assert.deepEqual(notPrivate(host.home), []);
    assert.deepEqual(notPrivate(appState), []);
  });

  test("another local user can read no tenant database, key, host or deployment file", { skip: asAnotherUser ? false : skipReason }, () => {
    for (const file of secretFiles()) {
      const read = spawnSync(runuser!, ["-u", "nobody", "--", "cat", file], { encoding: "utf8" });
      assert.notEqual(read.status, 0, `nobody could read ${file}`);
      assert.equal(read.stdout, "", file);
    }
    const list = spawnSync(runuser!, ["-u", "nobody", "--", "ls", host.home], { encoding: "utf8" });
    assert.notEqual(list.status, 0, "nobody cannot list GATEHOUSE_HOME");
  });

  test("state left readable is made private again: the home when the host starts, .gatehouse when the app is read", async () => {
    assert.equal((await host.run(["host", "stop"], app.root)).code, 0);
    loosen(host.home);
    loosen(appState);
    assert.notDeepEqual(notPrivate(host.home), [], "the test loosened the home");
    const start = await host.run(["host", "start"], app.root);
    assert.equal(start.code, 0, start.out);
    assert.deepEqual(notPrivate(host.home), []);
    const list = await host.run(["idp", "users", "list", "--issuer", ISSUER], app.root);
    assert.equal(list.code, 0, list.out);
    assert.deepEqual(notPrivate(appState), []);
  });
});
