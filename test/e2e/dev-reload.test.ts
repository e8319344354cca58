/**
 * Saving while `gatehouse dev` runs, as editors save: by writing a temporary file and renaming it over the
 * original (vim, JetBrains' safe write, `sed -i`). Every save is served; sst.json is watched too; a stage
 * served by dev cannot be removed under it.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type CliProcess, pollUntil, startCli } from "../support/cli-process.js";
import { runBin } from "../support/run-bin.js";
import { tempApp } from "../support/temp-app.js";

describe("gatehouse dev applies every save, whatever way it is written", () => {
  const app = tempApp();
  const home = tempApp({});
  let dev: CliProcess;
  let endpoint: string;
  const env = { GATEHOUSE_HOME: home.root };
  const saveByRename = (path: string, text: string) => {
    const target = join(app.root, path);
    writeFileSync(`${target}.swp`, text);
    renameSync(`${target}.swp`, target);
  };
  const stackSource = readFileSync(join(app.root, "stacks/MyStack.js"), "utf8");
  /** The walkthrough's stack plus `GET /round-N` routes (no auth) for N in 1..count, all on src/public.main. */
  const stackWithRounds = (count: number) =>
    stackSource.replace(
      `"GET /private": "src/private.main",`,
      `"GET /private": "src/private.main",\n${Array.from({ length: count }, (_, i) => `        "GET /round-${i + 1}": { function: "src/public.main", authorizationType: sst.ApiAuthorizationType.NONE },`).join("\n")}`,
    );

  before(async () => {
    dev = startCli(["dev", "--port", "0", "--idp-port", "0"], app.root, env);
    endpoint = (await dev.waitFor(/^ {4}ApiEndpoint: (http:\/\/127\.0\.0\.1:\d+)$/m, 30_000))[1];
    await dev.waitFor(/Ready in \d+ ms/);
  });
  after(async () => {
    await dev?.stop();
    app.remove();
    home.remove();
  });

  test("a stack saved by rename five times: each save's new route is served", async () => {
    for (let round = 1; round <= 5; round++) {
      saveByRename("stacks/MyStack.js", stackWithRounds(round));
      const status = await pollUntil(`${endpoint}/round-${round}`, (body) => body === "Hello stranger!", 15_000);
      assert.equal(status, "Hello stranger!", `round ${round}`);
    }
  });

  test("a handler saved by rename five times: each save is served", async () => {
    for (let round = 1; round <= 5; round++) {
      const body = `save ${round}`;
      saveByRename("src/public.js", `export async function main() {\n  return { statusCode: 200, body: ${JSON.stringify(body)} };\n}\n`);
      assert.equal(await pollUntil(`${endpoint}/public`, (text) => text === body, 15_000), body, `round ${round}`);
    }
  });

  test("a handler shared by six routes is named once in Rebuilt", () => {
    const rebuilt = dev.output().match(/^Rebuilt .*$/gm) ?? [];
    assert.ok(rebuilt.length > 0, dev.output());
    assert.equal(rebuilt.at(-1)?.replace(/ \(\d+ ms\)$/, ""), "Rebuilt src/public.main");
  });

  test("an invalid sst.json is reported with line, column and code; the last good config keeps serving", async () => {
    const before = dev.output().length;
    saveByRename("sst.json", '{\n  "name": "api-auth-jwt-auth0",\n  "stage": "dev",\n}\n');
    const reported = await dev.waitFor(/Error \[GH_ERR_CONFIG_INVALID\]: (\S+):(\d+):(\d+): not valid JSON/);
    assert.ok(dev.output().length > before);
    assert.equal(reported[1], join(app.root, "sst.json"));
    assert.deepEqual([reported[2], reported[3]], ["4", "1"], "the stray comma's object closes on line 4, column 1");
    assert.equal(await (await fetch(`${endpoint}/public`)).text(), "save 5");
  });

  test("a valid sst.json edit reloads config: its callback URL reaches the tenant's application", async () => {
    saveByRename(
      "sst.json",
      JSON.stringify({ name: "api-auth-jwt-auth0", stage: "dev", region: "us-east-1", gatehouse: { callbackUrls: ["http://localhost:3000/callback"] } }, null, 2),
    );
    await dev.waitFor(/Config reloaded/);
    const apps = await runBin(["idp", "apps", "list"], { cwd: app.root, env });
    assert.match(apps.stdout, /callbacks: +http:\/\/localhost:5678, http:\/\/localhost:3000\/callback\n/);
    assert.equal(await (await fetch(`${endpoint}/round-5`)).text(), "save 5", "the stacks still serve");
  });

  test("remove --yes while dev serves the stage is refused naming dev, and nothing is deleted", async () => {
    await runBin(["idp", "users", "add", "--email", "kept@example.com", "--password", "Kept-user-2026!"], { cwd: app.root, env });
    const refused = await runBin(["remove", "--yes"], { cwd: app.root, env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`^Error \\[GH_ERR_STAGE_IN_USE\\]: \`gatehouse dev\` \\(pid ${dev.child.pid},[^\\n]*Fix: [^\\n]+\\n$`));
    assert.ok(existsSync(join(app.root, ".gatehouse", "dev")));
    assert.match((await runBin(["idp", "users", "list"], { cwd: app.root, env })).stdout, /kept@example\.com/);
    assert.equal(await (await fetch(`${endpoint}/public`)).text(), "save 5");
  });

  test("a second dev of the same stage is refused the same way", async () => {
    const second = await runBin(["dev", "--port", "0", "--idp-port", "0"], { cwd: app.root, env });
    assert.equal(second.code, 1);
    assert.match(second.stderr, /^Error \[GH_ERR_STAGE_IN_USE\]: [^\n]+\n$/);
  });

  test("once dev has stopped, remove --yes deletes the stage", async () => {
    assert.equal(await dev.stop(), 0);
    const removed = await runBin(["remove", "--yes"], { cwd: app.root, env });
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(existsSync(join(app.root, ".gatehouse", "dev")), false);
  });
});
