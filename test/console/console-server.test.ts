import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ConsoleServer } from "../../src/console/console-server.js";
import { RequestJournal } from "../../src/console/request-journal.js";
import type { RequestRecord } from "../../src/gateway/request-record.js";
import { memoryLogger } from "../../src/log.js";
import type { Manifest } from "../../src/manifest/manifest.js";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so Host and Origin can be anything a hostile page or proxy would send. */
function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: { host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

function record(requestId: string, path = "/private"): RequestRecord {
  return {
    time: Date.now(),
    method: "GET",
    path,
    query: "",
    routeKey: `GET ${path}`,
    status: 401,
    latencyMs: 1,
    requestId,
    apiId: "stack/Api",
    verdict: { kind: "deny", reason: 'audience mismatch: token aud "abc", expected "xyz"' },
  };
}

const EMPTY_MANIFEST = { apis: [], functions: {}, stacks: [], auths: [] } as unknown as Manifest;

describe("console server", () => {
  const assets = mkdtempSync(join(tmpdir(), "gatehouse-console-assets-"));
  const journal = new RequestJournal();
  let server: ConsoleServer;
  let port: number;
  let cookie: string;

  before(async () => {
    writeFileSync(join(assets, "index.html"), "<!doctype html><title>console</title>");
    writeFileSync(join(assets, "app.js"), "console.log('page')");
    writeFileSync(join(assets, "app.css"), "body{}");
    server = new ConsoleServer({
      journal,
      logger: memoryLogger(),
      assetsDir: assets,
      token: "session-token-123",
      stream: { flushIntervalMs: 10 },
      source: {
        root: assets,
        manifest: () => EMPTY_MANIFEST,
        endpoints: () => ({}),
        outputs: () => ({}),
        invoker: { invoke: async () => ({ ok: true, payload: "null" }) },
        tenants: () => [],
      },
    });
    ({ port } = await server.listen(0));
    journal.record(record("secret-request-id", "/secret-path"));
    cookie = `gatehouse_console=${server.token}`;
  });
  after(async () => {
    await server.close();
    rmSync(assets, { recursive: true, force: true });
  });

  test("the printed link sets an HttpOnly, SameSite=Strict cookie and moves the token out of the address", async () => {
    const reply = await send(port, `/?token=${server.token}`);
    assert.equal(reply.status, 303);
    assert.equal(reply.headers.location, "/");
    assert.deepEqual(reply.headers["set-cookie"], [`gatehouse_console=${server.token}; HttpOnly; SameSite=Strict; Path=/`]);
    assert.equal(reply.headers["referrer-policy"], "no-referrer");
    const page = await send(port, "/", { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>console<\/title>/);
    assert.match(String(page.headers["content-security-policy"]), /default-src 'none'; script-src 'self'/);
  });

  test("without the token, or with a wrong one, nothing is served and nothing leaks", async () => {
    for (const path of ["/", "/app.js", "/console/requests", "/console/requests/1", "/console/events", "/console/tenants", "/?token=wrong"]) {
      for (const headers of [{}, { cookie: "gatehouse_console=wrong" }] as Array<Record<string, string>>) {
        const reply = await send(port, path, { headers });
        assert.equal(reply.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(reply.headers["set-cookie"], undefined);
        assert.doesNotMatch(reply.body, /secret|session-token/);
      }
    }
    const post = await send(port, "/console/call", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(post.status, 401);
  });

  test("a foreign Host (DNS rebinding) or a foreign Origin is refused even with the cookie", async () => {
    for (const headers of [
      { cookie, host: `evil.example:${port}` },
      { cookie, host: "127.0.0.1:80" },
      { cookie, origin: "http://evil.example" },
      { cookie, origin: `http://127.0.0.1:${port + 1}` },
      { host: `evil.example:${port}` },
    ] as Array<Record<string, string>>) {
      const reply = await send(port, "/console/requests", { headers });
      assert.equal(reply.status, 403, JSON.stringify(headers));
      assert.equal(reply.headers["access-control-allow-origin"], undefined);
      assert.doesNotMatch(reply.body, /secret/);
    }
    const link = await send(port, `/?token=${server.token}`, { headers: { host: `evil.example:${port}` } });
    assert.equal(link.status, 403);
    assert.equal(link.headers["set-cookie"], undefined);
  });

  test("its own Host and Origin with the cookie get the data", async () => {
    const reply = await send(port, "/console/requests", { headers: { cookie, origin: `http://127.0.0.1:${port}` } });
    assert.equal(reply.status, 200);
    const rows = JSON.parse(reply.body);
    assert.equal(rows[0].path, "/secret-path");
    assert.equal(rows[0].verdict.reason, 'audience mismatch: token aud "abc", expected "xyz"');
  });

  test("actions need a JSON body (no simple cross-site form post), and the app's routes are not served", async () => {
    const form = await send(port, "/console/call", { method: "POST", headers: { cookie, "content-type": "text/plain" }, body: "{}" });
    assert.equal(form.status, 415);
    const route = await send(port, "/secret-path", { headers: { cookie } });
    assert.equal(route.status, 404);
  });

  test("requests are pushed to an open page as server-sent events", async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/console/events", headers: { host: `127.0.0.1:${port}`, cookie } }, (res) => {
        assert.equal(res.headers["content-type"], "text/event-stream; charset=utf-8");
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
          if (text.includes("pushed-id")) {
            req.destroy();
            resolve(text);
          }
        });
        // The stream is open: now a request happens.
        journal.record(record("pushed-id", "/pushed"));
      });
      req.on("error", reject);
      req.end();
    });
    const text = await received;
    assert.match(text, /event: request\ndata: \[\{"id":\d+,[^\n]*"path":"\/pushed"/);
  });
});

describe("request journal", () => {
  test("keeps only the last N requests; ids keep addressing the ones kept", () => {
    const journal = new RequestJournal({ capacity: 3 });
    for (let i = 1; i <= 5; i++) journal.record(record(`r${i}`));
    const kept = () => journal.entries().map((entry) => entry.record.requestId);
    assert.deepEqual(kept(), ["r3", "r4", "r5"]);
    assert.deepEqual([journal.get(1), journal.get(4)?.record.requestId, journal.get(6)], [undefined, "r4", undefined]);
    // Round the buffer a few more times: order, addressing, and a let-go request's lines stay right.
    for (let i = 6; i <= 11; i++) journal.record(record(`r${i}`));
    assert.deepEqual(kept(), ["r9", "r10", "r11"]);
    assert.deepEqual([journal.get(8), journal.get(10)?.record.requestId], [undefined, "r10"]);
    journal.log({ functionId: "f", requestId: "r5", stream: "stdout", level: "INFO", text: "late line of a request let go" });
    journal.log({ functionId: "f", requestId: "r10", stream: "stdout", level: "INFO", text: "kept" });
    assert.deepEqual(journal.get(10)?.logs.map((line) => line.text), ["kept"]);
    assert.ok(journal.entries().every((entry) => entry.logs.every((line) => line.text === "kept")));
  });

  test("under load only the newest requests keep their detail; at a developer's pace all of them do", () => {
    const detail = { rawUrl: "/x", headers: [], requestBody: { body: Buffer.alloc(0), size: 0, truncated: false }, token: null, eventTruncated: false, responseHeaders: [], responseBody: { body: Buffer.alloc(0), size: 0, truncated: false } };
    const busy = new RequestJournal({ busyDetailWindow: 2 });
    for (let i = 1; i <= 5; i++) busy.record({ ...record(`b${i}`), time: 1_000_000 + i, detail: { ...detail } });
    assert.deepEqual(
      busy.entries().map((entry) => entry.record.detail !== undefined),
      [false, false, false, true, true],
    );
    assert.equal(busy.get(1)?.detailDropped, true);
    const calm = new RequestJournal({ busyDetailWindow: 2 });
    for (let i = 1; i <= 5; i++) calm.record({ ...record(`c${i}`), time: 1_000_000 + i * 1500, detail: { ...detail } });
    assert.ok(calm.entries().every((entry) => entry.record.detail !== undefined));
  });

  test("a handler's lines join their request, before and after its record, in order and bounded", () => {
    const journal = new RequestJournal({ maxLogLinesPerRequest: 3 });
    journal.log({ functionId: "f", requestId: "a", stream: "stdout", level: "INFO", text: "first" });
    journal.record(record("a"));
    journal.log({ functionId: "f", requestId: "a", stream: "stdout", level: "WARN", text: "second" });
    for (let i = 0; i < 5; i++) journal.log({ functionId: "f", requestId: "a", stream: "stdout", level: "INFO", text: `more ${i}` });
    assert.deepEqual(
      journal.get(1)?.logs.map((line) => line.text),
      ["first", "second", "more 0"],
    );
  });

  test("lines of ids that never become a request are bounded too, and can be taken", () => {
    const journal = new RequestJournal({ capacity: 2 });
    for (let i = 0; i < 10; i++) journal.log({ functionId: "f", requestId: `direct-${i}`, stream: "stdout", level: "INFO", text: `line ${i}` });
    assert.deepEqual(journal.takeLines("direct-0"), []);
    assert.deepEqual(
      journal.takeLines("direct-9").map((line) => line.text),
      ["line 9"],
    );
  });
});
