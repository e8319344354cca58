import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, describe, test } from "node:test";
import { BIN } from "../support/cli-process.js";
import { tempApp } from "../support/temp-app.js";

const PASSWORD = "Str0ng-enough";

describe("gatehouse idp users: e-mail addresses checked, user text printed safely", () => {
  const app = tempApp();
  const idp = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, "idp", ...args], { cwd: app.root, encoding: "utf8", timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, out: `${result.stdout}${result.stderr}` };
  };
  after(() => app.remove());

  const refused: Record<string, string> = {
    "an ANSI escape": "\u001b[31mred@example.com",
    "HTML": "<img src=x onerror=alert(1)>@example.com",
    "60 KB": `${"a".repeat(60 * 1024)}@example.com`,
    "a bell and an OSC title change": "\u001b]0;owned\u0007x@example.com",
  };
  for (const [reason, email] of Object.entries(refused)) {
    test(`users add refuses an address with ${reason}: one line, its code, exit 1, nothing raw printed`, () => {
      const added = idp("users", "add", "--email", email, "--password", PASSWORD);
      assert.equal(added.code, 1, added.out);
      assert.match(added.out, /GH_ERR_EMAIL_INVALID/);
      assert.equal(added.out.trim().split("\n").length, 1, added.out);
      assert.doesNotMatch(added.out, /[\u0000-\u0008\u000b-\u001f\u007f]/, "no control characters reach the terminal");
      assert.ok(added.out.length < 1000, "the address is not echoed whole");
    });
  }

  test("users list shows a name holding terminal escapes as visible text", () => {
    const added = idp("users", "add", "--email", "ann@example.com", "--password", PASSWORD, "--name", "Ann\u001b[2J\u001b[HCleared\u202eevil");
    assert.equal(added.code, 0, added.out);
    const list = idp("users", "list");
    assert.equal(list.code, 0, list.out);
    assert.doesNotMatch(list.stdout, /[\u0000-\u0009\u000b-\u001f\u007f\u202e]/, "no raw escape, control or bidi character");
    assert.ok(list.stdout.includes("Ann\\x1b[2J\\x1b[HCleared\\u202eevil"), list.stdout);
    assert.equal(list.stdout.trim().split("\n").length, 1, "no refused address was stored");
  });
});
