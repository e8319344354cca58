import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../src/app/load-config.js";
import { isGatehouseError } from "../../src/errors.js";

const root = mkdtempSync(join(tmpdir(), "gatehouse-config-"));
after(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(join(root, "index.js"), "export default function main() {}\n");

function refusal(text: string): string {
  writeFileSync(join(root, "sst.json"), text);
  try {
    loadConfig(root);
  } catch (err) {
    assert.ok(isGatehouseError(err, "GH_ERR_CONFIG_INVALID"), String(err));
    return err.message;
  }
  assert.fail("expected sst.json to be refused");
}

describe("sst.json", () => {
  test("a syntax error is located as file:line:column", () => {
    assert.ok(refusal('{\n  "name": "a",\n  "stage" "dev"\n}\n').startsWith(`${join(root, "sst.json")}:3:11: not valid JSON`));
  });

  test("a file that ends too early is located at its end", () => {
    assert.ok(refusal('{\n  "name": "a",\n').startsWith(`${join(root, "sst.json")}:3:1: not valid JSON`));
  });

  test("the gatehouse section's URLs become the config's application URLs; a relative one is refused", () => {
    writeFileSync(
      join(root, "sst.json"),
      JSON.stringify({ name: "a", main: "index.js", gatehouse: { callbackUrls: ["http://localhost:3000/cb"], webOrigins: ["http://localhost:3000"] } }),
    );
    const config = loadConfig(root);
    assert.deepEqual(config.applicationUrls, { callbackUrls: ["http://localhost:3000/cb"], logoutUrls: [], webOrigins: ["http://localhost:3000"] });
    assert.match(refusal(JSON.stringify({ name: "a", main: "index.js", gatehouse: { callbackUrls: ["/cb"] } })), /gatehouse\.callbackUrls\.0/);
    assert.match(refusal(JSON.stringify({ name: "a", main: "index.js", gatehouse: { callbacks: [] } })), /gatehouse/);
  });
});
