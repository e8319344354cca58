import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AppWatcher } from "../../src/build/watch-app.js";

/** Collects the watcher's batches; `next(file)` resolves when a batch names `file`, or rejects after a bound. */
class Batches {
  readonly seen: string[][] = [];
  private waiters: Array<{ file: string; resolve: () => void }> = [];

  push(files: string[]): void {
    this.seen.push(files);
    const met = this.waiters.filter((waiter) => files.includes(waiter.file));
    this.waiters = this.waiters.filter((waiter) => !met.includes(waiter));
    for (const waiter of met) waiter.resolve();
  }

  next(file: string, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no change reported for ${file}; batches: ${JSON.stringify(this.seen)}`)), timeoutMs);
      this.waiters.push({
        file,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** Saves as vim, JetBrains' safe write and `sed -i` do: a new file beside the original, renamed over it. */
function saveByRename(path: string, text: string): void {
  writeFileSync(`${path}.tmp~`, text);
  renameSync(`${path}.tmp~`, path);
}

describe("the app watcher", () => {
  const root = mkdtempSync(join(tmpdir(), "gatehouse-watch-"));
  const batches = new Batches();
  const errors: Error[] = [];
  let watcher: AppWatcher;
  const file = (path: string) => join(root, path);

  before(async () => {
    for (const dir of ["src", "stacks", "node_modules/dep", ".gatehouse/dev", "dist", ".git"]) mkdirSync(file(dir), { recursive: true });
    writeFileSync(file("src/handler.js"), "1");
    writeFileSync(file("stacks/index.js"), "1");
    writeFileSync(file("sst.json"), "{}");
    watcher = new AppWatcher(root, { onChange: (files) => batches.push(files), onError: (err) => errors.push(err) });
    await watcher.ready;
  });
  after(async () => {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("a handler and a stack saved by write-then-rename five times each: every save is reported", async () => {
    for (let round = 1; round <= 5; round++) {
      for (const path of ["src/handler.js", "stacks/index.js"]) {
        const reported = batches.next(file(path));
        saveByRename(file(path), `save ${round}`);
        await reported;
      }
    }
    assert.deepEqual(errors, []);
  });

  test("a second save right after the first is reported too (chokidar alone drops it)", async () => {
    for (let round = 1; round <= 3; round++) {
      const first = batches.next(file("src/handler.js"));
      saveByRename(file("src/handler.js"), `quick ${round}a`);
      await first;
      const second = batches.next(file("src/handler.js"));
      saveByRename(file("src/handler.js"), `quick ${round}b`);
      await second;
    }
  });

  test("an in-place write, a new file in a new folder and sst.json are reported", async () => {
    let reported = batches.next(file("src/handler.js"));
    writeFileSync(file("src/handler.js"), "in place");
    await reported;
    mkdirSync(file("src/nested"));
    reported = batches.next(file("src/nested/new.js"));
    writeFileSync(file("src/nested/new.js"), "new");
    await reported;
    reported = batches.next(file("sst.json"));
    saveByRename(file("sst.json"), '{"name":"x"}');
    await reported;
  });

  test("node_modules, .gatehouse, dist and .git are not watched", async () => {
    const before = batches.seen.length;
    for (const path of ["node_modules/dep/index.js", ".gatehouse/dev/out.js", "dist/out.js", ".git/index"]) writeFileSync(file(path), "x");
    // A change after them, reported, bounds the wait: batches arrive in order.
    const marker = batches.next(file("src/handler.js"));
    writeFileSync(file("src/handler.js"), "marker");
    await marker;
    const reported = batches.seen.slice(before).flat();
    assert.deepEqual(
      reported.filter((path) => !path.startsWith(file("src/"))),
      [],
    );
  });
});
