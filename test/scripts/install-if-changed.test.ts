import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";

const SCRIPT = new URL("../../scripts/install-if-changed.sh", import.meta.url).pathname;

/**
 * A checkout with a package-lock.json and an `npm` on PATH that only records its calls (and, like npm ci,
 * creates node_modules), so the script's decision is observed without installing anything.
 */
function fakeCheckout(options: { symlinkedModules?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), "gatehouse-install-"));
  const bin = join(root, "fake-bin");
  const calls = join(root, "npm-calls");
  mkdirSync(bin);
  writeFileSync(join(bin, "npm"), `#!/bin/sh\necho "$@" >> "${calls}"\nmkdir -p node_modules\n`);
  chmodSync(join(bin, "npm"), 0o755);
  const app = join(root, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package-lock.json"), '{"lockfileVersion":3,"packages":{"a":"1"}}');
  if (options.symlinkedModules) {
    mkdirSync(join(root, "shared-modules"));
    symlinkSync(join(root, "shared-modules"), join(app, "node_modules"));
  }
  const run = () =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn("bash", [SCRIPT, app], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
      let out = "";
      child.stdout.on("data", (chunk) => (out += chunk));
      child.stderr.on("data", (chunk) => (out += chunk));
      child.on("close", (code) => resolve({ code, out }));
    });
  const npmCalls = () => {
    try {
      return readFileSync(calls, "utf8").trim().split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  return { root, app, run, npmCalls, remove: () => rmSync(root, { recursive: true, force: true }) };
}

describe("scripts/install-if-changed.sh (run by scripts/test.sh)", () => {
  const checkouts: Array<ReturnType<typeof fakeCheckout>> = [];
  after(() => {
    for (const checkout of checkouts) checkout.remove();
  });

  test("installs once, skips while the lockfile is unchanged, installs again after it changes", async () => {
    const checkout = fakeCheckout();
    checkouts.push(checkout);
    assert.equal((await checkout.run()).code, 0);
    assert.deepEqual(checkout.npmCalls(), ["ci --no-audit --no-fund"]);
    const second = await checkout.run();
    assert.equal(second.code, 0);
    assert.match(second.out, /skipping npm ci/);
    assert.equal(checkout.npmCalls().length, 1);
    writeFileSync(join(checkout.app, "package-lock.json"), '{"lockfileVersion":3,"packages":{"a":"2"}}');
    await checkout.run();
    assert.equal(checkout.npmCalls().length, 2);
  });

  test("a node_modules symlinked to a shared install keeps its stamp there", async () => {
    const checkout = fakeCheckout({ symlinkedModules: true });
    checkouts.push(checkout);
    await checkout.run();
    assert.equal(checkout.npmCalls().length, 1);
    assert.ok(readFileSync(join(checkout.root, "shared-modules", ".gatehouse-lock-hash"), "utf8").length > 0);
    assert.match((await checkout.run()).out, /skipping npm ci/);
  });

  test("a failed install leaves no stamp, so the next run tries again", async () => {
    const checkout = fakeCheckout();
    checkouts.push(checkout);
    writeFileSync(join(checkout.root, "fake-bin", "npm"), "#!/bin/sh\nexit 1\n");
    assert.notEqual((await checkout.run()).code, 0);
    assert.throws(() => readFileSync(join(checkout.app, "node_modules", ".gatehouse-lock-hash")));
  });
});
