import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { StaticSiteManifest } from "../../src/manifest/manifest.js";
import { StaticSiteServer } from "../../src/serve/static-site-server.js";

describe("a static site served from its build folder", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-site-"));
  const root = join(dir, "site", "build");
  const servers: StaticSiteServer[] = [];
  const site = (partial: Partial<StaticSiteManifest>): StaticSiteManifest => ({
    id: "s/Site",
    constructId: "Site",
    stackId: "s",
    kind: "sst.StaticSite",
    path: "site",
    root,
    built: true,
    indexPage: "index.html",
    errorPage: null,
    spa: false,
    environment: {},
    ...partial,
  });
  const serve = async (manifest: StaticSiteManifest) => {
    const server = new StaticSiteServer(manifest);
    servers.push(server);
    return server.listen(0, "127.0.0.1");
  };

  before(() => {
    mkdirSync(join(root, "docs"), { recursive: true });
    writeFileSync(join(root, "index.html"), "<h1>home</h1>");
    writeFileSync(join(root, "docs", "index.html"), "<h1>docs</h1>");
    writeFileSync(join(root, "404.html"), "<h1>missing</h1>");
    writeFileSync(join(dir, "site", "secret.txt"), "not for the web");
  });
  after(async () => {
    for (const server of servers) await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("index pages, content types, the error page with 404, and nothing outside the folder", async () => {
    const url = await serve(site({ errorPage: "404.html" }));
    const home = await fetch(`${url}/`);
    assert.equal(home.status, 200);
    assert.equal(home.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(await home.text(), "<h1>home</h1>");
    assert.equal(await (await fetch(`${url}/docs/`)).text(), "<h1>docs</h1>");
    const missing = await fetch(`${url}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), "<h1>missing</h1>");
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"]) {
      const response = await fetch(`${url}${path}`);
      assert.notEqual(await response.text(), "not for the web", path);
    }
    assert.equal((await fetch(`${url}/`, { method: "POST" })).status, 405);
  });

  test("a single-page app answers unknown paths with its index page and 200", async () => {
    const url = await serve(site({ errorPage: "index.html", spa: true }));
    const response = await fetch(`${url}/app/settings`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "<h1>home</h1>");
  });
});
