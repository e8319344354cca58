import type { ServerResponse } from "node:http";

export interface EventStreamOptions {
  /** How often queued events go out, in ms (default 100): one write per page per interval, whatever the load. */
  flushIntervalMs?: number;
  /**
   * Events sent per flush (default 200, so up to 2000 a second): under heavier load the oldest queued ones are
   * dropped and the pages told how many, so they reload the list once the load calms down. Nobody reads rows
   * faster than that, and streaming every one would take CPU from the requests themselves.
   */
  maxQueued?: number;
  /** A comment line keeps idle connections open through proxies and sleep (default 15 s). */
  heartbeatMs?: number;
}

interface QueuedEvent {
  event: string;
  value: unknown;
  view: ((value: unknown) => unknown) | undefined;
}

/**
 * Server-sent events to every open console page, batched: events queue as they happen and go out together
 * each interval, serialized once for all pages. Under heavy load this is a few writes a second rather than
 * one per request, so streaming stays off the gateway's hot path. A page whose socket cannot keep up misses
 * batches and gets `resync` once it drains, so it reloads the list rather than showing gaps.
 */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly behind = new Set<ServerResponse>();
  private queue: QueuedEvent[] = [];
  private dropped = 0;
  private readonly flushIntervalMs: number;
  private readonly maxQueued: number;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(options: EventStreamOptions = {}) {
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxQueued = options.maxQueued ?? 200;
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  /** Pages connected now. */
  get size(): number {
    return this.clients.size;
  }

  /** Turns a response into an event stream until its page goes away. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write("retry: 1000\n\n");
    this.clients.add(res);
    res.on("close", () => {
      this.clients.delete(res);
      this.behind.delete(res);
    });
  }

  /**
   * Queues one event for every page; nothing is kept when no page is open. `view` makes the data sent from
   * `value` at flush time, so under load only the events that go out are ever serialized.
   */
  publish<T>(event: string, value: T, view?: (value: T) => unknown): void {
    if (this.clients.size === 0) return;
    // Trimmed in halves rather than one shift per event: a shift per request was the stream's main cost.
    if (this.queue.length >= 2 * this.maxQueued) this.keepNewest();
    this.queue.push({ event, value, view: view as ((value: unknown) => unknown) | undefined });
    this.flushTimer ??= setTimeout(() => this.flush(), this.flushIntervalMs);
  }

  /** Ends every stream. */
  close(): void {
    clearInterval(this.heartbeat);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  /** Keeps the newest `maxQueued` queued events and counts the others as dropped (the pages are told). */
  private keepNewest(): void {
    if (this.queue.length <= this.maxQueued) return;
    this.dropped += this.queue.length - this.maxQueued;
    this.queue = this.queue.slice(-this.maxQueued);
  }

  private flush(): void {
    this.flushTimer = null;
    this.keepNewest();
    const queue = this.queue;
    this.queue = [];
    // Events of one kind go out as one array, in order; the page applies them in that order.
    let text = "";
    if (this.dropped > 0) {
      text = `event: gap\ndata: {"dropped":${this.dropped}}\n\n`;
      this.dropped = 0;
    }
    let start = 0;
    for (let i = 1; i <= queue.length; i++) {
      if (i === queue.length || queue[i].event !== queue[start].event) {
        text += `event: ${queue[start].event}\ndata: ${JSON.stringify(queue.slice(start, i).map((item) => (item.view ? item.view(item.value) : item.value)))}\n\n`;
        start = i;
      }
    }
    this.write(text);
  }

  private write(text: string): void {
    for (const res of this.clients) {
      if (this.behind.has(res)) continue;
      if (!res.write(text)) {
        this.behind.add(res);
        res.once("drain", () => {
          this.behind.delete(res);
          res.write("event: resync\ndata: {}\n\n");
        });
      }
    }
  }
}
