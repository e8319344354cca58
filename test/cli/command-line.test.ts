/**
 * The command line as a user meets it, through the built bin: help for every command, suggestions for
 * typos, one coded line per error and the documented exit codes (0 ok, 1 user error, 2 usage).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/program.js";
import { runBin } from "../support/run-bin.js";

const cwd = mkdtempSync(join(tmpdir(), "gatehouse-cli-"));
after(() => rmSync(cwd, { recursive: true, force: true }));
const gatehouse = (...args: string[]) => runBin(args, { cwd });

/** Every visible command path the definitions declare: ["dev"], ["idp", "users", "add"], … */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands
    .filter((child) => !(child as unknown as { _hidden: boolean })._hidden)
    .flatMap((child) => [[...prefix, child.name()], ...commandPaths(child, [...prefix, child.name()])]);
}

/** One error line with a code, nothing else: the shape every refusal has. */
function assertOneCodedLine(stderr: string, code: string): void {
  assert.match(stderr, new RegExp(`^Error \\[${code}\\]: [^\\n]+\\n$`), stderr);
}

describe("help", () => {
  test("`gatehouse` alone prints the help listing every command and the exit codes, exit 0", async () => {
    const run = await gatehouse();
    assert.equal(run.code, 0);
    assert.equal(run.stderr, "");
    for (const name of ["dev|start", "create", "deploy", "remove", "list", "host", "idp"]) assert.match(run.stdout, new RegExp(`^  ${name.replace("|", "\\|")}\\b`, "m"));
    assert.match(run.stdout, /Exit codes:\n {2}0 +success\n {2}1 +user error.*\n {2}2 +usage error/);
  });

  test("every command and subcommand answers --help with its own usage, exit 0", async () => {
    const paths = commandPaths(buildProgram(() => "0.0.0"));
    assert.ok(paths.length >= 17, `all commands found (${paths.map((p) => p.join(" ")).join(", ")})`);
    for (const path of paths) {
      const run = await gatehouse(...path, "--help");
      assert.equal(run.code, 0, `${path.join(" ")} --help: ${run.stderr}`);
      assert.equal(run.stderr, "");
      assert.match(run.stdout, new RegExp(`^Usage: gatehouse ${path.join(" ")}\\b`), path.join(" "));
    }
  });

  test("help lists the flags each command parses: a flag in dev's help is accepted, one absent is refused", async () => {
    const help = (await gatehouse("dev", "--help")).stdout;
    for (const flag of ["--port", "--stage", "--idp-port", "--idp"]) assert.match(help, new RegExp(`\\s${flag} <`), flag);
    assert.doesNotMatch(help, /--yes/);
    assert.equal((await gatehouse("dev", "--yes")).code, 2);
  });

  test("a bare group prints its subcommands, each on its own line (no `list | remove` pipes), exit 0", async () => {
    const idp = await gatehouse("idp");
    assert.equal(idp.code, 0);
    for (const name of ["users", "apps", "keys", "token"]) assert.match(idp.stdout, new RegExp(`^  ${name}\\b`, "m"));
    const users = await gatehouse("idp", "users");
    assert.equal(users.code, 0);
    for (const name of ["add", "list", "remove"]) assert.match(users.stdout, new RegExp(`^  ${name}\\b`, "m"));
    assert.doesNotMatch(`${idp.stdout}${users.stdout}${(await gatehouse()).stdout}`, / \| /);
    const host = await gatehouse("host");
    assert.equal(host.code, 0);
    assert.doesNotMatch(host.stdout, /^ +run\b/m, "the internal `host run` stays out of the help");
  });

  test("`help <command>` and `-v` work", async () => {
    const help = await gatehouse("help", "deploy");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: gatehouse deploy/);
    const version = await gatehouse("-v");
    assert.equal(version.stdout, `${(JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version}\n`);
  });
});

describe("usage errors: one coded line with a suggestion, exit 2", () => {
  test("`gatehouse deplyo` suggests deploy", async () => {
    const run = await gatehouse("deplyo");
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assertOneCodedLine(run.stderr, "GH_ERR_USAGE");
    assert.match(run.stderr, /did you mean deploy\?/);
  });

  test("an unknown flag suggests the nearest one of that command and points at its help", async () => {
    const run = await gatehouse("dev", "--prot", "3000");
    assert.equal(run.code, 2);
    assertOneCodedLine(run.stderr, "GH_ERR_USAGE");
    assert.match(run.stderr, /'--prot'.*did you mean --port\?.*`gatehouse dev --help`/);
  });

  test("a mistyped subcommand, a missing argument, a missing required flag, a malformed port", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["idp", "usres", "list"], /did you mean users\?/],
      [["create"], /missing required argument 'dir'/],
      [["idp", "users", "add", "--email", "a@example.com"], /--password/],
      [["dev", "--port", "http"], /--port.*'http'.*not a port/],
      [["create", "a", "b"], /too many arguments/],
    ];
    for (const [args, detail] of cases) {
      const run = await gatehouse(...args);
      assert.equal(run.code, 2, args.join(" "));
      assertOneCodedLine(run.stderr, "GH_ERR_USAGE");
      assert.match(run.stderr, detail);
    }
  });
});

describe("user errors: one coded line, no stack, exit 1", () => {
  test("a command outside an app names the missing sst.json", async () => {
    const run = await gatehouse("deploy");
    assert.equal(run.code, 1);
    assertOneCodedLine(run.stderr, "GH_ERR_CONFIG_NOT_FOUND");
  });

  test("a flag value gatehouse checks after parsing is FLAG_INVALID", async () => {
    const run = await gatehouse("create", "x", "--template", "react");
    assert.equal(run.code, 1);
    assertOneCodedLine(run.stderr, "GH_ERR_FLAG_INVALID");
  });
});
