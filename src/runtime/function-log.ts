import { StringDecoder } from "node:string_decoder";
import type { Logger } from "../log.js";

/** One complete log line of a function, as a console (or any other observer) receives it. */
export interface FunctionLogLine {
  functionId: string;
  /** The invocation it belongs to; "" for lines written while the module is imported. */
  requestId: string;
  stream: "stdout" | "stderr";
  /** The Lambda log level of a console call or a runtime report; absent for raw process.stdout/stderr writes. */
  level?: "INFO" | "WARN" | "ERROR" | "DEBUG" | "TRACE";
  text: string;
}

/** Limits on what one function may log (docs/runtime.md, "Log lines"). */
export interface LogLimits {
  /** Longer lines are passed on in pieces of this many characters, each but the last marked CUT_MARK. */
  maxLineChars: number;
  /** Characters a function may log per second; beyond it, its output is dropped until the flood ends. */
  charsPerSecond: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { maxLineChars: 256 * 1024, charsPerSecond: 1024 * 1024 };

/** Ends every piece of a cut line but its last one. */
export const CUT_MARK = " [cut]";

const WINDOW_MS = 1000;

/**
 * The one place where a function's log lines are emitted, each with its request id: console calls and
 * runtime reports arrive whole; raw stdout/stderr chunks are split into lines here. Every chunk is scanned
 * once and at most one line's worth (the cap) is held, so a handler writing megabytes without a newline costs
 * linear time and bounded memory. Past the rate limit the function's output is dropped (reported once per
 * flood, with the count when it ends), so a flooding function cannot take the process's event loop.
 */
export class FunctionLog {
  private readonly tag: string;
  private windowStart = Number.NEGATIVE_INFINITY;
  /** Characters offered in the current window, emitted or not. */
  private windowChars = 0;
  /** True while a flood is under way (from the first dropped line to the first window within the limit). */
  private flooding = false;
  private droppedChars = 0;

  constructor(
    private readonly options: {
      functionId: string;
      handler: string;
      logger: Logger;
      limits: LogLimits;
      /** Absolute app root; paths under it are shown relative to it (source-mapped stacks name src/x.js). */
      appRoot?: string;
      onLog?: (line: FunctionLogLine) => void;
    },
  ) {
    this.tag = `[${options.handler}]`;
  }

  /**
   * A complete line from a console call or a runtime report, logged as `[handler] requestId LEVEL text`
   * (without a level for reports Lambda prints without one, such as "Task timed out").
   */
  line(stream: "stdout" | "stderr", requestId: string, level: FunctionLogLine["level"], text: string): void {
    if (!this.admit(text.length)) return;
    const max = this.options.limits.maxLineChars;
    if (text.length <= max) {
      this.emit(stream, requestId, level, text, false);
      return;
    }
    for (let start = 0; start < text.length; start += max) {
      const end = start + max;
      this.emit(stream, requestId, level, end < text.length ? text.slice(start, end) + CUT_MARK : text.slice(start), false);
    }
  }

  /** A splitter for one raw stream of a worker; `requestId()` names the invocation running at the time. */
  splitter(stream: "stdout" | "stderr", requestId: () => string): LineSplitter {
    return new LineSplitter(this.options.limits.maxLineChars, (text, cut) => {
      if (this.admit(text.length)) this.emit(stream, requestId(), undefined, cut ? text + CUT_MARK : text, true);
    });
  }

  /**
   * The most one console call or write may carry to the main thread: half a second's allowance, so that what
   * is kept (and the note saying what was cut) can still pass the rate limit.
   */
  get maxMessageChars(): number {
    return Math.max(1024, Math.floor(this.options.limits.charsPerSecond / 2));
  }

  /** True while output is being dropped; raw chunks are then not even decoded. */
  get dropping(): boolean {
    return this.windowChars > this.options.limits.charsPerSecond && !this.windowOver(performance.now());
  }

  /**
   * Counts `chars` against the rate limit; false when they must be dropped. Each one-second window lets the
   * limit through (throttled, not silenced); a flood is reported when it starts, and with the count of what
   * was dropped once a whole window stays within the limit.
   */
  admit(chars: number): boolean {
    const limit = this.options.limits.charsPerSecond;
    const now = performance.now();
    if (this.windowOver(now)) {
      const endsFlood = this.flooding && this.windowChars <= limit;
      this.windowStart = now;
      this.windowChars = 0;
      if (endsFlood) {
        this.flooding = false;
        this.report(`WARN log output resumed; ${this.droppedChars} characters were dropped`);
        this.droppedChars = 0;
      }
    }
    this.windowChars += chars;
    if (this.windowChars <= limit) return true;
    if (!this.flooding) {
      this.flooding = true;
      this.report(`WARN the function logs more than ${limit} characters per second; the rest of each second's output is dropped`);
    }
    this.droppedChars += chars;
    return false;
  }

  private windowOver(now: number): boolean {
    return now - this.windowStart >= WINDOW_MS;
  }

  private report(text: string): void {
    this.emit("stderr", "", undefined, text, true);
  }

  /** Writes one line to the logger and the onLog observer; `bare` lines (raw writes) carry no request id. */
  private emit(
    stream: "stdout" | "stderr",
    requestId: string,
    level: FunctionLogLine["level"],
    original: string,
    bare: boolean,
  ): void {
    const root = this.options.appRoot;
    const text = root !== undefined && original.includes(root) ? relativeToRoot(original, root) : original;
    let line = this.tag;
    if (!bare && requestId !== "") line += ` ${requestId}`;
    if (level !== undefined) line += ` ${level}`;
    line += ` ${text}`;
    const { logger } = this.options;
    if (level === "ERROR" || (level === undefined && !bare)) logger.error(line);
    else if (level === "WARN" || (level === undefined && stream === "stderr")) logger.warn(line);
    else logger.info(line);
    this.options.onLog?.({ functionId: this.options.functionId, requestId, stream, level, text });
  }
}

/** `/app/src/x.js:5:9` → `src/x.js:5:9`, and the same for file:// URLs. */
function relativeToRoot(text: string, root: string): string {
  const prefix = root.endsWith("/") ? root : `${root}/`;
  return text.replaceAll(`file://${prefix}`, "").replaceAll(prefix, "");
}

/**
 * Splits a raw byte stream into lines, scanning each chunk once. At most `maxChars` of an unfinished line are
 * held; beyond that the line is passed on in pieces marked as cut.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private parts: string[] = [];
  private partsLength = 0;

  constructor(
    private readonly maxChars: number,
    private readonly onLine: (text: string, cut: boolean) => void,
  ) {}

  /** Characters held for the unfinished line (never more than the cap). */
  get held(): number {
    return this.partsLength;
  }

  write(chunk: Buffer | string): void {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const newline = text.indexOf("\n", start);
      if (newline === -1) break;
      this.finish(text, start, newline);
      start = newline + 1;
    }
    if (start < text.length) this.hold(start === 0 ? text : text.slice(start));
  }

  /** Forgets the unfinished line (its stream's output is being dropped). */
  discard(): void {
    this.parts = [];
    this.partsLength = 0;
    this.decoder.end();
  }

  /** The stream ended: an unfinished last line is passed on as it is. */
  end(): void {
    const rest = this.decoder.end();
    if (rest !== "") this.hold(rest);
    if (this.partsLength > 0) this.flushHeld(false);
  }

  /** Passes on text[start, end) (a line's end), after what is held of its beginning. */
  private finish(text: string, start: number, end: number): void {
    let stop = end;
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
    else if (stop === start && this.partsLength > 0 && this.endsWithCR()) this.dropTrailingCR();
    if (this.partsLength === 0) {
      this.emitPieces(text, start, stop);
      return;
    }
    // Fill the held part up to the cap, then pass on the rest in cap-sized pieces.
    const room = this.maxChars - this.partsLength;
    const take = Math.min(room, stop - start);
    this.parts.push(text.slice(start, start + take));
    const held = this.parts.join("");
    this.parts = [];
    this.partsLength = 0;
    const more = start + take < stop;
    this.onLine(held, more);
    if (more) this.emitPieces(text, start + take, stop);
  }

  private emitPieces(text: string, start: number, stop: number): void {
    const max = this.maxChars;
    while (stop - start > max) {
      this.onLine(text.slice(start, start + max), true);
      start += max;
    }
    this.onLine(start === 0 && stop === text.length ? text : text.slice(start, stop), false);
  }

  private hold(text: string): void {
    let offset = 0;
    while (this.partsLength + (text.length - offset) > this.maxChars) {
      const take = this.maxChars - this.partsLength;
      this.parts.push(text.slice(offset, offset + take));
      offset += take;
      this.flushHeld(true);
    }
    if (offset < text.length) {
      this.parts.push(offset === 0 ? text : text.slice(offset));
      this.partsLength += text.length - offset;
    }
  }

  private flushHeld(cut: boolean): void {
    const held = this.parts.join("");
    this.parts = [];
    this.partsLength = 0;
    this.onLine(held, cut);
  }

  private endsWithCR(): boolean {
    const last = this.parts[this.parts.length - 1];
    return last.charCodeAt(last.length - 1) === 13;
  }

  private dropTrailingCR(): void {
    const last = this.parts.length - 1;
    this.parts[last] = this.parts[last].slice(0, -1);
    this.partsLength--;
  }
}
