import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { startDev } from "../../src/dev/dev-session.js";
import { memoryLogger } from "../../src/log.js";

const root = mkdtempSync(join(tmpdir(), "gatehouse-notices-"));
after(() => rmSync(root, { recursive: true, force: true }));

test("a stack edit that adds a CDK construct prints its notice once, and later edits do not repeat it", async () => {
  cpSync(new URL("../apps/legacy-v09-js", import.meta.url).pathname, root, { recursive: true });
  const logger = memoryLogger();
  const session = await startDev({ cwd: root, port: 0, idpPort: 0, logger });
  try {
    const stackFile = join(root, "lib/MyStack.js");
    const original = readFileSync(stackFile, "utf8");
    const withQueue = original
      .replace('import * as cdk from "@aws-cdk/core";', 'import * as cdk from "@aws-cdk/core";\nimport * as sqs from "@aws-cdk/aws-sqs";')
      .replace("    cdk.Tag.add(", '    new sqs.Queue(this, "Jobs");\n    cdk.Tag.add(');
    const notice = 'sqs.Queue "Jobs" is not emulated locally';
    let reloaded = session.nextReload();
    writeFileSync(stackFile, withQueue);
    await reloaded;
    assert.equal(logger.lines.filter((line) => line.includes(notice)).length, 1, logger.lines.join("\n"));
    assert.ok(logger.lines.some((line) => line.startsWith("note: lib/MyStack.js:") && line.includes(notice)));
    reloaded = session.nextReload();
    writeFileSync(stackFile, `${withQueue}\n// edited again\n`);
    await reloaded;
    assert.equal(logger.lines.filter((line) => line.includes(notice)).length, 1);
    assert.equal(session.manifest().unemulated.length, 1);
    const response = await fetch(`${Object.values(session.endpoints())[0]}/`);
    assert.equal(response.status, 200);
  } finally {
    await session.close();
  }
});
