import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../src/app/load-config.js";
import { normalizeSstRouteKey } from "../../src/app/sst-route-key.js";
import { synthApp } from "../../src/app/synth-app.js";
import { stackApp } from "../support/temp-app.js";

const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups) cleanup();
});

describe("route keys as SST 0.x accepts them", () => {
  test("runs of spaces and tabs become one space; the method is upper-cased for API Gateway", () => {
    assert.deepEqual(normalizeSstRouteKey("GET    /notes"), { ok: true, key: "GET /notes", listed: "GET /notes" });
    assert.deepEqual(normalizeSstRouteKey("GET\t/notes/{id}"), { ok: true, key: "GET /notes/{id}", listed: "GET /notes/{id}" });
    assert.deepEqual(normalizeSstRouteKey("Get /x"), { ok: true, key: "GET /x", listed: "Get /x" });
    assert.deepEqual(normalizeSstRouteKey("$default"), { ok: true, key: "$default", listed: "$default" });
  });

  test("leading or trailing whitespace, and keys that are not two parts, are refused", () => {
    for (const key of [" GET /x", "GET /x ", "GET", "GET /x /y"]) assert.equal(normalizeSstRouteKey(key).ok, false, key);
  });

  test("an Api serves aligned and mixed-case keys, lists them as SST does, and finds their functions", async () => {
    const app = stackApp(`
      const api = new sst.Api(this, "Api", { routes: {
        "GET    /notes":      "src/hello.main",
        "Post   /notes":      "src/hello.main",
        "GET\\t/notes/{id}":  "src/hello.main",
      } });
      this.addOutputs({ Listed: api.routes.join("|"), Found: String(Boolean(api.getFunction("POST /notes") && api.getFunction("GET   /notes"))) });
    `);
    cleanups.push(app.remove);
    const { manifest } = await synthApp(loadConfig(app.root));
    assert.deepEqual(manifest.apis[0].routes.map((route) => route.key), ["GET /notes", "POST /notes", "GET /notes/{id}"]);
    assert.equal(manifest.stacks[0].outputs.Listed, "GET /notes|Post /notes|GET /notes/{id}");
    assert.equal(manifest.stacks[0].outputs.Found, "true");
  });

  test("keys equal after normalization are duplicates", async () => {
    const app = stackApp(`new sst.Api(this, "Api", { routes: { "GET /x": "src/hello.main", "get   /x": "src/hello.main" } });`);
    cleanups.push(app.remove);
    await assert.rejects(synthApp(loadConfig(app.root)), (err: { code?: string }) => err.code === "GH_ERR_ROUTE_DUPLICATE");
  });

  test("a key with trailing whitespace is refused with the route's file", async () => {
    const app = stackApp(`new sst.Api(this, "Api", { routes: { "GET /x ": "src/hello.main" } });`);
    cleanups.push(app.remove);
    await assert.rejects(synthApp(loadConfig(app.root)), (err: { code?: string; message: string }) => err.code === "GH_ERR_ROUTE_INVALID" && err.message.includes("stacks/index.js"));
  });
});
