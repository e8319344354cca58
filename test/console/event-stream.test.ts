import assert from "node:assert/strict";
import { createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { EventStream } from "../../src/console/event-stream.js";

/** A page's view of the stream: every event received, parsed, until `until` says enough. */
async function readStream(stream: EventStream, act: () => void, until: (events: Array<{ event: string; data: unknown }>) => boolean) {
  const server = createServer((_req, res) => stream.attach(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    return await new Promise<Array<{ event: string; data: unknown }>>((resolve, reject) => {
      const req = get({ host: "127.0.0.1", port, path: "/" }, (res) => {
        let text = "";
        const events: Array<{ event: string; data: unknown }> = [];
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
          let end = text.indexOf("\n\n");
          while (end >= 0) {
            const block = text.slice(0, end);
            text = text.slice(end + 2);
            const event = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
            end = text.indexOf("\n\n");
          }
          if (until(events)) {
            req.destroy();
            resolve(events);
          }
        });
        // The stream is attached once its headers arrive.
        act();
      });
      req.on("error", reject);
    });
  } finally {
    stream.close();
    server.closeAllConnections();
    server.close();
  }
}

test("under a burst the page gets the newest events and a count of the ones left out; only those sent are serialized", async () => {
  const stream = new EventStream({ flushIntervalMs: 5, maxQueued: 10 });
  let viewed = 0;
  const view = (n: number) => {
    viewed++;
    return { n };
  };
  const events = await readStream(
    stream,
    () => {
      for (let n = 1; n <= 1000; n++) stream.publish("request", n, view);
    },
    (received) => received.some((event) => event.event === "request"),
  );
  assert.deepEqual(events[0], { event: "gap", data: { dropped: 990 } });
  assert.deepEqual(
    events[1],
    { event: "request", data: Array.from({ length: 10 }, (_, i) => ({ n: 991 + i })) },
  );
  assert.equal(viewed, 10);
});

test("at a developer's pace every event arrives, in order, kinds kept apart", async () => {
  const stream = new EventStream({ flushIntervalMs: 5, maxQueued: 10 });
  const events = await readStream(
    stream,
    () => {
      stream.publish("request", { id: 1 });
      stream.publish("log", { id: 1, line: "a" });
      stream.publish("log", { id: 1, line: "b" });
    },
    (received) => received.length >= 2,
  );
  assert.deepEqual(events, [
    { event: "request", data: [{ id: 1 }] },
    { event: "log", data: [{ id: 1, line: "a" }, { id: 1, line: "b" }] },
  ]);
});
