import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { CreateFlags } from "../../src/cli/commands/create.js";
import { createCommand } from "../../src/cli/create-command.js";

const workspace = mkdtempSync(join(tmpdir(), "gatehouse-create-cli-"));
after(() => rmSync(workspace, { recursive: true, force: true }));

/** Runs `gatehouse create <dir> [flags]` in-process (after parsing) and returns its exit code and what it printed. */
async function create(dir: string, flags: CreateFlags = {}): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => {
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await createCommand(dir, flags), stdout };
  } finally {
    process.stdout.write = write;
  }
}

async function refusal(dir: string, flags: CreateFlags = {}): Promise<{ code: string; message: string }> {
  try {
    await create(dir, flags);
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail(`expected gatehouse create ${dir} to be refused`);
}

describe("gatehouse create", () => {
  test("prints the files and the next steps for the walkthrough app", async () => {
    const dir = join(workspace, "my-api");
    const { code, stdout } = await create(dir);
    assert.equal(code, 0);
    assert.match(stdout, /^Created my-api from the api-auth-jwt-auth0 template \(javascript\) in /);
    assert.match(stdout, /\n {2}stacks\/MyStack\.js\n/);
    assert.ok(stdout.includes(`\nNext steps:\n  cd ${dir}\n  gatehouse dev\n`), stdout);
    assert.match(stdout, /curl http:\/\/127\.0\.0\.1:4000\/public +# Hello stranger!/);
    assert.match(stdout, /curl http:\/\/127\.0\.0\.1:4000\/private -H "Authorization: Bearer <id_token>" +# Hello user!/);
    assert.match(stdout, /Login URL that gatehouse dev prints/);
    assert.ok(existsSync(join(dir, "stacks/MyStack.js")));
  });

  test("--template minimal --language typescript prints the minimal app's try-it line", async () => {
    const dir = join(workspace, "hello");
    const { stdout } = await create(dir, { template: "minimal", language: "typescript" });
    assert.match(stdout, /from the minimal template \(typescript\)/);
    assert.match(stdout, /curl http:\/\/127\.0\.0\.1:4000\/ +# Hello from Gatehouse!/);
    assert.doesNotMatch(stdout, /\/private/);
    assert.match(stdout, /npm install/);
    assert.ok(existsSync(join(dir, "src/lambda.ts")));
  });

  test("a directory name with a space is quoted in the cd step", async () => {
    const dir = join(workspace, "two words");
    const { stdout } = await create(dir, { template: "minimal" });
    assert.ok(stdout.includes(`  cd '${dir}'\n`), stdout);
    assert.match(stdout, /^Created two-words /);
  });

  test("an empty <dir> or an unknown choice are FLAG_INVALID and write nothing", async () => {
    assert.equal((await refusal("")).code, "GH_ERR_FLAG_INVALID");
    const dir = join(workspace, "never");
    const template = await refusal(dir, { template: "vue" });
    assert.equal(template.code, "GH_ERR_FLAG_INVALID");
    assert.match(template.message, /Choose one of: api-auth-jwt-auth0 \(default\), minimal\./);
    const language = await refusal(dir, { language: "ts" });
    assert.equal(language.code, "GH_ERR_FLAG_INVALID");
    assert.match(language.message, /Choose one of: javascript \(default\), typescript\./);
    assert.equal(existsSync(dir), false);
  });

  test("an existing app is refused and left as it was", async () => {
    const dir = join(workspace, "existing");
    await create(dir, { template: "minimal" });
    const before = readdirSync(dir, { recursive: true });
    const err = await refusal(dir);
    assert.equal(err.code, "GH_ERR_CONFIG_INVALID");
    assert.match(err.message, /is not empty/);
    assert.deepEqual(readdirSync(dir, { recursive: true }), before);
  });

});

describe("gatehouse create . in an empty directory", () => {
  const cwd = process.cwd();
  after(() => process.chdir(cwd));

  test("names the app after the current directory and prints no cd step", async () => {
    const here = join(workspace, "here-app");
    mkdirSync(here);
    process.chdir(here);
    const { stdout } = await create(".", { template: "minimal" });
    assert.match(stdout, /^Created here-app from the minimal template/);
    assert.match(stdout, /\nNext steps:\n {2}gatehouse dev\n/);
    assert.ok(existsSync(join(here, "sst.json")));
  });
});

describe("gatehouse create . in a directory that is not empty", () => {
  const cwd = process.cwd();
  after(() => process.chdir(cwd));

  test("is refused naming the directory by its full path", async () => {
    const here = join(workspace, "busy-here");
    mkdirSync(here);
    writeFileSync(join(here, "notes.txt"), "");
    process.chdir(here);
    const err = await refusal(".");
    assert.equal(err.code, "GH_ERR_CONFIG_INVALID");
    assert.ok(err.message.startsWith(`${here} is not empty (it holds notes.txt).`), err.message);
  });
});
