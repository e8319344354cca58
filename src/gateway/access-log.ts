import type { RequestRecord } from "./request-record.js";

/** How access lines look: with ANSI colours (a terminal) or plain (a pipe, a file, NO_COLOR). */
export interface AccessLogStyle {
  color: boolean;
}

const RESET = "\x1b[0m";
const DIM = "\x1b[2m";
const RED = "\x1b[31m";
const GREEN = "\x1b[32m";
const YELLOW = "\x1b[33m";
const CYAN = "\x1b[36m";

/**
 * One line per request, as SST and serverless-offline print them:
 * `12:04:31 GET /private → GET /private 401 2 ms denied: token expired 3 min ago`.
 * The path is decoded, so control characters in it are replaced: one request, one line.
 */
export function formatAccessLine(record: RequestRecord, style: AccessLogStyle): string {
  const paint = style.color ? (code: string, text: string) => `${code}${text}${RESET}` : (_code: string, text: string) => text;
  const route = record.routeKey ?? "no route";
  const statusColor = record.status >= 500 ? RED : record.status >= 400 ? YELLOW : GREEN;
  let line = `${paint(DIM, clock(record.time))} ${oneLine(`${record.method} ${record.path}`)} → ${paint(CYAN, oneLine(route))} ${paint(statusColor, String(record.status))} ${Math.round(record.latencyMs)} ms`;
  const verdict = record.verdict;
  if (verdict.kind === "deny") line += ` ${paint(RED, "denied:")} ${oneLine(verdict.reason)}`;
  else if (verdict.kind === "allow") line += ` ${paint(GREEN, "allowed")} ${oneLine(verdict.reason)}`;
  return line;
}

/** Whether a stream should get colours: a terminal, unless NO_COLOR is set to anything non-empty (no-color.org). */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

/** `HH:MM:SS` in local time, worked out once per second: under load a thousand lines share one. */
class SecondClock {
  private second = Number.NaN;
  private text = "";

  format(epochMs: number): string {
    const second = Math.floor(epochMs / 1000);
    if (second !== this.second) {
      const date = new Date(epochMs);
      this.second = second;
      this.text = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
    }
    return this.text;
  }
}

const wallClock = new SecondClock();

function clock(epochMs: number): string {
  return wallClock.format(epochMs);
}

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]+/g, " ");
}
