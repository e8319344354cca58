import assert from "node:assert/strict";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { isGatehouseError } from "../../src/errors.js";
import { createGateway, type Gateway } from "../../src/gateway/gateway.js";
import { memoryLogger } from "../../src/log.js";
import { api, InProcessInvoker, route, TokenTableAuthorizer } from "./in-process.js";

interface Reply {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** One HTTP request over a real socket; `declaredLength` lets a test announce more than it sends. */
function send(
  url: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: Buffer | string; agent?: any } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method, headers: options.headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Writes raw bytes on a fresh TCP connection and returns everything the server sends before closing. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString()));
    socket.on("error", reject);
    socket.write(text);
    setTimeout(() => socket.end(), 200);
  });
}

describe("gateway over a real socket", () => {
  let gateway: Gateway;
  let url: string;
  let port: number;
  const invoker = new InProcessInvoker({
    public: () => ({ statusCode: 200, body: "Hello stranger!" }),
    private: (event) => ({ statusCode: 200, body: `Hello ${event.requestContext.authorizer.jwt.claims.sub}!` }),
    echo: (event) => ({
      statusCode: 200,
      cookies: ["a=1", "b=2"],
      headers: { "content-type": "application/octet-stream" },
      body: event.isBase64Encoded ? event.body : Buffer.from(event.body ?? "").toString("base64"),
      isBase64Encoded: true,
    }),
  });
  const logger = memoryLogger();

  before(async () => {
    gateway = createGateway({
      api: api([
        route("GET /public", "public"),
        route("GET /private", "private", true),
        route("POST /echo", "echo"),
      ]),
      invoker,
      authorizer: new TokenTableAuthorizer({ alice: { claims: { sub: "auth0|alice" }, scopes: [] } }),
      logger,
      maxBodyBytes: 64 * 1024,
    });
    ({ url, port } = await gateway.listen(0));
  });
  after(() => gateway.close());

  test("serves the tutorial's public and private routes", async () => {
    const pub = await send(url, "GET", "/public");
    assert.equal(pub.status, 200);
    assert.equal(pub.body.toString(), "Hello stranger!");
    assert.match(String(pub.headers["apigw-requestid"]), /^[A-Za-z0-9_-]{15}=$/);
    const priv = await send(url, "GET", "/private", { headers: { Authorization: "Bearer alice" } });
    assert.equal(priv.body.toString(), "Hello auth0|alice!");
  });

  test("a denied JWT route answers exactly API Gateway's 401 and never invokes", async () => {
    const before = invoker.calls.length;
    const reply = await send(url, "GET", "/private", { headers: { Authorization: "Bearer nope" } });
    assert.equal(reply.status, 401);
    assert.equal(reply.body.toString(), '{"message":"Unauthorized"}');
    assert.equal(reply.headers["content-length"], "26");
    assert.equal(reply.headers["content-type"], "application/json");
    assert.equal(
      reply.headers["www-authenticate"],
      'Bearer scope="" error="invalid_token" error_description="the token is invalid"',
    );
    assert.ok(reply.headers["apigw-requestid"]);
    assert.equal(invoker.calls.length, before);
    assert.ok(logger.lines.some((line) => / GET \/private 401 \d+ ms denied: unknown token nope$/.test(line)));
  });

  test("binary bodies round-trip through base64 and cookies become separate set-cookie headers", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    const reply = await send(url, "POST", "/echo", { headers: { "content-type": "application/octet-stream" }, body: bytes });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, bytes);
    assert.deepEqual(reply.headers["set-cookie"], ["a=1", "b=2"]);
    const event = invoker.calls.at(-1)!.event;
    assert.equal(event.isBase64Encoded, true);
    assert.equal(event.headers["x-forwarded-port"], String(port));
    assert.equal(event.requestContext.http.sourceIp, "127.0.0.1");
  });

  test("a declared body over the limit is refused with 413 before it is read", async () => {
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = httpRequest(
        `${url}/echo`,
        { method: "POST", headers: { "content-length": String(10 * 1024 * 1024 + 1) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      req.on("error", reject);
      req.write("x".repeat(1000)); // far less than declared: the answer must not wait for the rest
    });
    assert.equal(reply.status, 413);
    assert.equal(reply.body.toString(), '{"message":"Request Entity Too Large"}');
    assert.ok(reply.headers["apigw-requestid"]);
  });

  test("a chunked body growing past the limit is cut off with 413", async () => {
    const reply = await send(url, "POST", "/echo", {
      headers: { "transfer-encoding": "chunked" },
      body: Buffer.alloc(65 * 1024, 120),
    }).catch((err) => err as Error);
    // The server may close while the client is still writing; either way it answered or reset, never hung.
    if (!(reply instanceof Error)) assert.equal(reply.status, 413);
    assert.equal((await send(url, "GET", "/public")).status, 200, "the server still serves");
  });

  test("headers past the parser's limit get a JSON 431; garbage gets a JSON 400; the server survives", async () => {
    const huge = await raw(port, `GET /public HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431 /);
    assert.match(huge, /apigw-requestid: /);
    assert.match(huge, /\{"message":"Request Header Fields Too Large"\}$/);
    const garbage = await raw(port, "\x00\x01 NOT HTTP\r\n\r\n");
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    const midSize = await send(url, "GET", "/public", { headers: { "x-big": "a".repeat(11_000) } });
    assert.equal(midSize.status, 431);
    assert.equal((await send(url, "GET", "/public")).status, 200);
  });

  test("keep-alive connections are reused", async () => {
    const { Agent } = await import("node:http");
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest(`${url}/public`, { agent }, (res) => {
            sockets.add(res.socket);
            res.resume();
            res.on("end", () => resolve());
          });
          req.on("error", reject);
          req.end();
        });
      }
      assert.equal(sockets.size, 1);
    } finally {
      agent.destroy();
    }
  });

  test("a client that disconnects mid-body does not crash the server", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial");
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    assert.equal((await send(url, "GET", "/public")).status, 200);
  });

  test("a port already in use is a PORT_IN_USE error", async () => {
    const other = createGateway({
      api: api([]),
      invoker,
      authorizer: new TokenTableAuthorizer({}),
      logger: memoryLogger(),
    });
    await assert.rejects(other.listen(port), (err) => isGatehouseError(err, "GH_ERR_PORT_IN_USE"));
    await other.close();
  });
});
