import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FALLBACK_APP_NAME, appNameFromDir, packageNameFor } from "../../src/create/app-name.js";

describe("the app name taken from the directory", () => {
  test("is the directory's basename, wherever the directory is", () => {
    assert.equal(appNameFromDir("my-api"), "my-api");
    assert.equal(appNameFromDir("/tmp/projects/notes-api"), "notes-api");
    assert.equal(appNameFromDir("projects/notes-api/"), "notes-api");
  });

  test("keeps only letters, digits and dashes, as sst.json requires", () => {
    assert.equal(appNameFromDir("My API_v2"), "My-API-v2");
    assert.equal(appNameFromDir("a.b..c"), "a-b-c");
    assert.equal(appNameFromDir("_private-app_"), "private-app");
    assert.equal(appNameFromDir("café"), "caf");
  });

  test("falls back to a fixed name when nothing usable is left", () => {
    assert.equal(appNameFromDir("___"), FALLBACK_APP_NAME);
    assert.equal(appNameFromDir("日本"), FALLBACK_APP_NAME);
  });

  test("is lowercased for package.json, as npm requires", () => {
    assert.equal(packageNameFor("My-API-v2"), "my-api-v2");
  });
});
