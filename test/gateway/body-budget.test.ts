import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { BodyBudget } from "../../src/gateway/body-budget.js";
import { createGateway, type Gateway } from "../../src/gateway/gateway.js";
import { memoryLogger } from "../../src/log.js";
import { eventually } from "../runtime/handler-bundles.js";
import { api, InProcessInvoker, route, TokenTableAuthorizer } from "./in-process.js";

const BODY = 300 * 1024;

/** A connection that sends a POST's headers and all of its body but the last byte, and records the answer. */
function holdBack(port: number, headers: string): { socket: Socket; reply: Promise<string> } {
  const socket = connect(port, "127.0.0.1");
  const chunks: Buffer[] = [];
  const reply = new Promise<string>((resolve) => {
    socket.on("data", (c) => chunks.push(c));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
    socket.on("error", () => {});
  });
  socket.write(`POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
  return { socket, reply };
}

describe("request bodies: one memory budget per process, and a deadline", () => {
  const budget = new BodyBudget(1024 * 1024);
  const invoker = new InProcessInvoker({
    public: () => ({ statusCode: 200, body: "public" }),
    echo: (event) => ({ statusCode: 200, body: String((event.body ?? "").length) }),
  });
  const gateways: Gateway[] = [];
  const ports: number[] = [];

  before(async () => {
    // Two gateways share the budget, as every Api of a process does.
    for (let i = 0; i < 2; i++) {
      const gateway = createGateway({
        api: api([route("GET /public", "public"), route("POST /echo", "echo")]),
        invoker,
        authorizer: new TokenTableAuthorizer({}),
        logger: memoryLogger(),
        bodyBudget: budget,
        bodyTimeoutMs: 400,
      });
      gateways.push(gateway);
      ports.push((await gateway.listen(0)).port);
    }
  });
  after(async () => {
    for (const gateway of gateways) await gateway.close();
  });

  test("connections holding back the last byte of large bodies: refused beyond the budget, then cut off at the deadline", async () => {
    const held = Array.from({ length: 12 }, (_, i) => {
      const connection = holdBack(ports[i % 2], `Content-Length: ${BODY}\r\n`);
      connection.socket.write(Buffer.alloc(BODY - 1, 97));
      return connection;
    });
    const chunked = holdBack(ports[0], "Transfer-Encoding: chunked\r\n");
    chunked.socket.write(`${(BODY).toString(16)}\r\n${"b".repeat(BODY)}\r\n`);
    const arrival: number[] = [];
    for (const c of [...held, chunked]) void c.reply.then((reply) => arrival.push(Number(/^HTTP\/1\.1 (\d+)/.exec(reply)?.[1])));
    // Three fit in 1 MB; the others (the chunked one too) are refused with the gateway's own answer and closed.
    assert.ok(budget.used <= budget.limitBytes);
    const public1 = await fetch(`http://127.0.0.1:${ports[0]}/public`);
    assert.equal(await public1.text(), "public", "/public answers while the bodies are held");
    const replies = await Promise.all([...held, chunked].map((c) => c.reply));
    const statuses = replies.map((reply) => Number(/^HTTP\/1\.1 (\d+)/.exec(reply)?.[1]));
    assert.equal(statuses.filter((s) => s === 503).length, 10, `budget refusals: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 408).length, 3, `deadline refusals: ${statuses}`);
    assert.deepEqual(arrival.slice(0, 10), Array(10).fill(503), "every refusal came before any deadline passed");
    for (const reply of replies) {
      assert.match(reply, /connection: close/i);
      assert.ok(reply.endsWith('{"message":"Service Unavailable"}') || reply.endsWith('{"message":"Request Timeout"}'), reply);
    }
    await eventually(() => budget.used === 0, 2_000, "the budget to be given back");
    const whole = await fetch(`http://127.0.0.1:${ports[1]}/echo`, { method: "POST", body: "x".repeat(BODY) });
    assert.equal(await whole.text(), String(BODY));
    assert.equal(budget.used, 0);
  });
});
