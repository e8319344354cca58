import type { RecordedBody, RequestRecord } from "../gateway/request-record.js";
import type { JournalEntry, JournalLogLine } from "./request-journal.js";

/** One row of the request list (what the page gets pushed for each request): the record's summary, numbered. */
export interface RequestRow extends Omit<RequestRecord, "detail"> {
  id: number;
  logCount: number;
}

/** A body for the page: text when it is UTF-8, else base64, saying which and whether it was cut. */
export interface BodyView {
  text: string;
  encoding: "utf8" | "base64";
  size: number;
  truncated: boolean;
}

/** An opened row: the row, plus token (without its raw text), request, event, response and log lines. */
export interface RequestDetailView extends RequestRow {
  token: { header: Record<string, unknown> | null; claims: Record<string, unknown> | null; present: boolean } | null;
  request: { rawUrl: string; headers: Array<[string, string]>; body: BodyView } | null;
  event: unknown;
  eventTruncated: boolean;
  response: { headers: Array<[string, string]>; body: BodyView } | null;
  logs: JournalLogLine[];
  /** The detail was let go under load (only the newest requests keep it then). */
  detailDropped: boolean;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function rowOf(entry: JournalEntry): RequestRow {
  const record = entry.record;
  return {
    id: entry.id,
    time: record.time,
    method: record.method,
    path: record.path,
    query: record.query,
    routeKey: record.routeKey,
    status: record.status,
    latencyMs: Math.round(record.latencyMs * 10) / 10,
    requestId: record.requestId,
    apiId: record.apiId,
    verdict: record.verdict,
    logCount: entry.logs.length,
  };
}

export function detailOf(entry: JournalEntry): RequestDetailView {
  const detail = entry.record.detail;
  return {
    ...rowOf(entry),
    token: detail?.token ? { header: detail.token.header, claims: detail.token.claims, present: true } : null,
    request: detail ? { rawUrl: detail.rawUrl, headers: pairs(detail.headers), body: bodyView(detail.requestBody) } : null,
    // Parsed only here, when a page opens the request.
    event: detail?.eventJson === undefined ? null : JSON.parse(detail.eventJson),
    eventTruncated: detail?.eventTruncated ?? false,
    response: detail ? { headers: detail.responseHeaders, body: bodyView(detail.responseBody) } : null,
    logs: entry.logs,
    detailDropped: entry.detailDropped === true,
  };
}

/** Raw header pairs `[name, value, …]` as `[[name, value], …]`. */
export function pairs(raw: string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i], raw[i + 1]]);
  return result;
}

function bodyView(recorded: RecordedBody): BodyView {
  try {
    return { text: utf8.decode(recorded.body), encoding: "utf8", size: recorded.size, truncated: recorded.truncated };
  } catch {
    // A cut may split a multi-byte character; binary bodies are shown as base64.
    return { text: recorded.body.toString("base64"), encoding: "base64", size: recorded.size, truncated: recorded.truncated };
  }
}
