import type { RequestRecord } from "../gateway/request-record.js";
import type { FunctionLogLine } from "../runtime/types.js";

/** One handler log line as the console keeps it. */
export interface JournalLogLine {
  level: FunctionLogLine["level"];
  text: string;
  /** ms since the epoch, when the line reached the main thread. */
  time: number;
}

/** One request in the journal: the gateway's record, its handler's log lines, and a journal-wide id. */
export interface JournalEntry {
  /** Increasing per journal; the page addresses rows by it. */
  id: number;
  record: RequestRecord;
  logs: JournalLogLine[];
  /** True when the record's detail was let go under load (see RequestJournalOptions.busyDetailWindow). */
  detailDropped?: boolean;
}

/** What the journal tells its listeners, in order. */
export type JournalEvent = { type: "request"; entry: JournalEntry } | { type: "log"; entry: JournalEntry; line: JournalLogLine };

export interface RequestJournalOptions {
  /** Requests kept (default 1000); the oldest go first. */
  capacity?: number;
  /** Log lines kept per request (default 200); later ones are counted, not kept. */
  maxLogLinesPerRequest?: number;
  /** Characters kept of one log line (default 8192). */
  maxLogLineLength?: number;
  /**
   * Under load (more than this many requests within a second, default 100) only the newest this-many requests
   * keep their detail (token, event, response); older ones keep their row and log lines. Keeping every
   * detail alive that long makes the garbage collector copy it around and costs the gateway a fifth of its
   * throughput; nobody opens request 800 of a load test.
   */
  busyDetailWindow?: number;
  now?: () => number;
}

/**
 * The last N requests with their log lines, in memory and bounded in every dimension. A handler's lines arrive
 * before its request's record (the function answers after logging), so lines for an id not yet recorded wait
 * in a small bounded table and join the record when it comes; lines of direct invocations stay there until
 * taken.
 */
export class RequestJournal {
  private readonly capacity: number;
  private readonly maxLines: number;
  private readonly maxLineLength: number;
  private readonly now: () => number;
  /** A circular buffer: entry `id` sits at `(id - 1) % capacity`, so keeping one is O(1) at any capacity. */
  private readonly slots: Array<JournalEntry | undefined>;
  private readonly byRequestId = new Map<string, JournalEntry>();
  private readonly waitingLines = new Map<string, JournalLogLine[]>();
  private readonly listeners = new Set<(event: JournalEvent) => void>();
  private nextId = 1;
  private readonly detailWindow: number;
  private secondStart = 0;
  private inSecond = 0;

  constructor(options: RequestJournalOptions = {}) {
    this.capacity = options.capacity ?? 1000;
    this.maxLines = options.maxLogLinesPerRequest ?? 200;
    this.maxLineLength = options.maxLogLineLength ?? 8192;
    this.now = options.now ?? Date.now;
    this.detailWindow = options.busyDetailWindow ?? 100;
    this.slots = new Array(this.capacity);
  }

  /** The gateway's observer: keeps the record, attaches lines already logged for it, tells listeners. */
  readonly record = (record: RequestRecord): void => {
    const logs = this.waitingLines.get(record.requestId) ?? [];
    this.waitingLines.delete(record.requestId);
    const entry: JournalEntry = { id: this.nextId++, record, logs };
    const slot = (entry.id - 1) % this.capacity;
    const gone = this.slots[slot];
    if (gone !== undefined && this.byRequestId.get(gone.record.requestId) === gone) this.byRequestId.delete(gone.record.requestId);
    this.slots[slot] = entry;
    if (record.time - this.secondStart >= 1000) {
      this.secondStart = record.time;
      this.inSecond = 0;
    }
    if (++this.inSecond > this.detailWindow) {
      const aged = this.get(entry.id - this.detailWindow);
      if (aged?.record.detail) {
        aged.record.detail = undefined;
        aged.detailDropped = true;
      }
    }
    this.byRequestId.set(record.requestId, entry);
    this.emit({ type: "request", entry });
  };

  /** The runtime's onLog: files a handler's line under its request. */
  readonly log = (line: FunctionLogLine): void => {
    const kept: JournalLogLine = {
      level: line.level,
      text: line.text.length > this.maxLineLength ? `${line.text.slice(0, this.maxLineLength)}… (cut)` : line.text,
      time: this.now(),
    };
    const entry = this.byRequestId.get(line.requestId);
    if (entry) {
      if (entry.logs.length >= this.maxLines) return;
      entry.logs.push(kept);
      this.emit({ type: "log", entry, line: kept });
      return;
    }
    let waiting = this.waitingLines.get(line.requestId);
    if (!waiting) {
      // Lines of invocations that never become a record (direct invokes nobody collects) must not pile up.
      if (this.waitingLines.size >= this.capacity) this.waitingLines.delete(this.waitingLines.keys().next().value!);
      waiting = [];
      this.waitingLines.set(line.requestId, waiting);
    }
    if (waiting.length < this.maxLines) waiting.push(kept);
  };

  /** Every kept request, oldest first. */
  entries(): JournalEntry[] {
    const kept: JournalEntry[] = [];
    for (let id = Math.max(1, this.nextId - this.capacity); id < this.nextId; id++) kept.push(this.slots[(id - 1) % this.capacity]!);
    return kept;
  }

  /** The request with this journal id, if still kept. */
  get(id: number): JournalEntry | undefined {
    if (!Number.isInteger(id) || id < 1 || id >= this.nextId || id < this.nextId - this.capacity) return undefined;
    return this.slots[(id - 1) % this.capacity];
  }

  /** Takes the lines logged under a request id that has no record (a direct invocation). */
  takeLines(requestId: string): JournalLogLine[] {
    const lines = this.waitingLines.get(requestId) ?? [];
    this.waitingLines.delete(requestId);
    return lines;
  }

  /** Calls `listener` for each new request and log line; returns the unsubscribe function. */
  subscribe(listener: (event: JournalEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: JournalEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
