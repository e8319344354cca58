/** Fetching a small JSON document from an issuer with AWS's limits: a timeout and a byte cap. */

export type FetchJsonResult = { ok: true; value: unknown } | { ok: false; problem: string };

export interface FetchJsonOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  maxBytes: number;
  /** Names the document in problems, e.g. "discovery document". */
  what: string;
}

/** GETs `url` and parses JSON, failing (never throwing) on timeout, non-200, oversize or bad JSON. */
export async function fetchLimitedJson(url: string, options: FetchJsonOptions): Promise<FetchJsonResult> {
  const { what, maxBytes } = options;
  // One signal covers the headers and the body: a server that trickles bytes is cut off too.
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    // Redirects are refused: a redirect could lead from a loopback issuer to plain http elsewhere.
    response = await options.fetch(url, { signal, redirect: "error", headers: { accept: "application/json" } });
  } catch (err) {
    return { ok: false, problem: `${what} ${url} could not be fetched: ${describeFetchError(err, options.timeoutMs)}` };
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    return { ok: false, problem: `${what} ${url} answered HTTP ${response.status}` };
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return { ok: false, problem: `${what} ${url} is ${declared} bytes; the limit is ${maxBytes}` };
  }
  let text: string;
  try {
    const read = await readAtMost(response, maxBytes);
    if (read === null) return { ok: false, problem: `${what} ${url} is over ${maxBytes} bytes; the limit is ${maxBytes}` };
    text = read;
  } catch (err) {
    return { ok: false, problem: `${what} ${url} could not be read: ${describeFetchError(err, options.timeoutMs)}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: `${what} ${url} is not JSON` };
  }
}

/** Reads the body as UTF-8 text, or returns null as soon as it passes `maxBytes` (the rest is never read). */
async function readAtMost(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
  return cause ?? (err instanceof Error ? err.message : String(err));
}
