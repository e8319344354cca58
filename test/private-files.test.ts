import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { makePrivateDir, makeTreePrivate, touchPrivateFile, writePrivateFile } from "../src/private-files.js";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("private files: folders 0700, files without group or other access", () => {
  const root = mkdtempSync(join(tmpdir(), "gatehouse-private-"));
  const previousUmask = process.umask(0o022); // the common, loose default
  after(() => {
    process.umask(previousUmask);
    rmSync(root, { recursive: true, force: true });
  });

  it("creates folders, files and empty database files private despite a loose umask", () => {
    makePrivateDir(join(root, "new", "nested"));
    assert.equal(mode(join(root, "new")), 0o700);
    assert.equal(mode(join(root, "new", "nested")), 0o700);
    writePrivateFile(join(root, "new", "host.json"), "{}");
    assert.equal(mode(join(root, "new", "host.json")), 0o600);
    touchPrivateFile(join(root, "new", "db.sqlite"));
    assert.equal(mode(join(root, "new", "db.sqlite")), 0o600);
  });

  it("fixes a tree written with loose modes, leaving symbolic links and their targets alone", () => {
    const tree = join(root, "old");
    mkdirSync(join(tree, "a", "b"), { recursive: true });
    writeFileSync(join(tree, "a", "secret.sqlite"), "x");
    writeFileSync(join(tree, "a", "b", "run.sh"), "x");
    chmodSync(join(tree, "a"), 0o755);
    chmodSync(join(tree, "a", "b"), 0o777);
    chmodSync(join(tree, "a", "secret.sqlite"), 0o644);
    chmodSync(join(tree, "a", "b", "run.sh"), 0o755);
    const outside = join(root, "outside.txt");
    writeFileSync(outside, "x");
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(tree, "a", "link"));
    makeTreePrivate(tree);
    assert.equal(mode(join(tree, "a")), 0o700);
    assert.equal(mode(join(tree, "a", "b")), 0o700);
    assert.equal(mode(join(tree, "a", "secret.sqlite")), 0o600);
    assert.equal(mode(join(tree, "a", "b", "run.sh")), 0o700, "an owner's execute bit stays");
    assert.equal(mode(outside), 0o644, "a link's target outside the tree is not touched");
  });
});
