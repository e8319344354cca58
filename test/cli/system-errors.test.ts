import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { userFacingSystemError } from "../../src/cli/system-errors.js";
import { BIN } from "../support/cli-process.js";
import { runBin } from "../support/run-bin.js";
import { EXAMPLE_APP, tempApp } from "../support/temp-app.js";

const workspace = mkdtempSync(join(tmpdir(), "gatehouse-syserr-"));
after(() => rmSync(workspace, { recursive: true, force: true }));

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (err) {
    return err;
  }
  assert.fail("expected a throw");
}

describe("file-system failures a user causes become coded user errors", () => {
  test("a name too long for the file system: PATH_TOO_LONG naming the path, also when wrapped", () => {
    const err = thrownBy(() => mkdirSync(join(workspace, "x".repeat(300))));
    const mapped = userFacingSystemError(err);
    assert.equal(mapped?.code, "GH_ERR_PATH_TOO_LONG");
    assert.ok(mapped?.message.includes(workspace), mapped?.message);
    assert.equal(userFacingSystemError(new Error("build failed", { cause: err }))?.code, "GH_ERR_PATH_TOO_LONG");
  });

  test("anything else stays a bug", () => {
    assert.equal(userFacingSystemError(new TypeError("x is undefined")), undefined);
    assert.equal(userFacingSystemError(thrownBy(() => execFileSync("/nonexistent-binary"))), undefined, "ENOENT is not a permission problem");
  });
});

const noRunuser = process.getuid?.() !== 0 || !existsSync("/usr/sbin/runuser") ? "needs root and runuser to act as another user" : false;

describe("gatehouse dev in an app folder the user may not write", { skip: noRunuser }, () => {
  test("prints one PERMISSION_DENIED line naming the folder, exit 1, no stack", () => {
    const app = join(workspace, "read-only-app");
    cpSync(EXAMPLE_APP, app, { recursive: true, filter: (src) => !src.includes(".gatehouse") });
    chmodSync(workspace, 0o755);
    chmodSync(app, 0o755);
    let code = 0;
    let stderr = "";
    try {
      execFileSync("/usr/sbin/runuser", ["-u", "nobody", "--", process.execPath, BIN, "dev", "--port", "0", "--idp-port", "0"], {
        cwd: app,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 60_000,
      });
    } catch (err) {
      ({ status: code, stderr } = err as { status: number; stderr: string });
    }
    assert.equal(code, 1);
    assert.match(stderr, /^Error \[GH_ERR_PERMISSION_DENIED\]: [^\n]*read-only-app\/\.gatehouse[^\n]*Fix: [^\n]+\n$/);
  });
});

describe("gatehouse deploy of an app whose name is too long for the file system", () => {
  const app = tempApp();
  const home = mkdtempSync(join(tmpdir(), "gatehouse-home-"));
  after(() => {
    app.remove();
    rmSync(home, { recursive: true, force: true });
  });

  test("prints one PATH_TOO_LONG line naming the path and the fix, exit 1, no stack", async () => {
    app.write("sst.json", JSON.stringify({ name: "a".repeat(300), stage: "dev", region: "us-east-1" }));
    const run = await runBin(["deploy", "--stage", "x"], { cwd: app.root, env: { GATEHOUSE_HOME: home, GATEHOUSE_ISSUER_CHECK_MS: "300" } });
    assert.equal(run.code, 1);
    // Warnings (the walkthrough's issuer is not reachable offline) may come first; the error is the last line.
    assert.match(run.stderr, /(^|\n)Error \[GH_ERR_PATH_TOO_LONG\]: [^\n]*a{300}[^\n]*Fix: [^\n]+\n$/);
    assert.doesNotMatch(run.stderr, /crashed|\n {4}at /);
  });
});
