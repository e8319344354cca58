/** The error catalogue and its user-facing document stay in step, as fastify keeps its error codes documented. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { ERROR_CATALOGUE, GatehouseError, isGatehouseError } from "../src/errors.js";

const doc = readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8");
const documented = new Set([...doc.matchAll(/`(GH_ERR_[A-Z0-9_]+)`/g)].map((match) => match[1]));

describe("error catalogue", () => {
  test("every code is documented in docs/errors.md", () => {
    const missing = Object.keys(ERROR_CATALOGUE).filter((code) => !documented.has(code));
    assert.deepEqual(missing, []);
  });

  test("docs/errors.md names no code the catalogue lacks", () => {
    const unknown = [...documented].filter((code) => !Object.hasOwn(ERROR_CATALOGUE, code));
    assert.deepEqual(unknown, []);
  });

  test("every code starts with GH_ERR_ and has a meaning", () => {
    for (const [code, meaning] of Object.entries(ERROR_CATALOGUE)) {
      assert.match(code, /^GH_ERR_[A-Z0-9_]+$/);
      assert.ok(meaning.length > 10, `${code} needs a one-line meaning`);
    }
  });

  test("errors are recognised by code, also across copies of the class", () => {
    const err = new GatehouseError("GH_ERR_CONFIG_INVALID", "sst.json: broken");
    assert.ok(isGatehouseError(err, "GH_ERR_CONFIG_INVALID"));
    assert.ok(!isGatehouseError(err, "GH_ERR_CONFIG_NOT_FOUND"));
    const copy = Object.assign(new Error("from a stacks bundle"), { name: "GatehouseError", code: "GH_ERR_ROUTE_INVALID" });
    assert.ok(isGatehouseError(copy, "GH_ERR_ROUTE_INVALID"));
    assert.ok(!isGatehouseError(new Error("plain")));
  });
});
