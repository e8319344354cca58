import { useEffect, useMemo, useState } from "preact/hooks";
import { api, clock, type LogLine, pretty, type RequestDetail, type RequestRow } from "./http.js";

interface Filters {
  route: string;
  status: string;
  verdict: string;
}

function statusClass(status: number): string {
  return status >= 500 ? "s5" : status >= 400 ? "s4" : "s2";
}

function matches(row: RequestRow, filters: Filters): boolean {
  if (filters.route && (row.routeKey ?? "(no route)") !== filters.route) return false;
  if (filters.status && String(row.status)[0] !== filters.status[0]) return false;
  if (filters.verdict && row.verdict.kind !== filters.verdict) return false;
  return true;
}

export function Verdict({ verdict }: { verdict: RequestRow["verdict"] }) {
  if (verdict.kind === "none") return <span class="muted">—</span>;
  return (
    <span class={`verdict ${verdict.kind}`}>
      <b>{verdict.kind === "allow" ? "allowed" : "denied"}</b> {verdict.reason}
    </span>
  );
}

/** The live request list with filters, and the opened request under it. */
export function RequestsPage({ rows, liveLogs }: { rows: RequestRow[]; liveLogs: Map<number, LogLine[]> }) {
  const [filters, setFilters] = useState<Filters>({ route: "", status: "", verdict: "" });
  const [openId, setOpenId] = useState<number | null>(null);
  const routes = useMemo(() => [...new Set(rows.map((row) => row.routeKey ?? "(no route)"))].sort(), [rows]);
  const shown = rows.filter((row) => matches(row, filters));
  const set = (key: keyof Filters) => (e: Event) => setFilters({ ...filters, [key]: (e.target as HTMLSelectElement).value });

  return (
    <section aria-label="Requests">
      <div class="toolbar">
        <label>
          Route{" "}
          <select value={filters.route} onChange={set("route")} data-testid="filter-route">
            <option value="">all</option>
            {routes.map((route) => (
              <option value={route}>{route}</option>
            ))}
          </select>
        </label>
        <label>
          Status{" "}
          <select value={filters.status} onChange={set("status")} data-testid="filter-status">
            <option value="">all</option>
            <option value="2xx">2xx</option>
            <option value="3xx">3xx</option>
            <option value="4xx">4xx</option>
            <option value="5xx">5xx</option>
          </select>
        </label>
        <label>
          Verdict{" "}
          <select value={filters.verdict} onChange={set("verdict")} data-testid="filter-verdict">
            <option value="">all</option>
            <option value="none">no authorizer</option>
            <option value="allow">allowed</option>
            <option value="deny">denied</option>
          </select>
        </label>
        <span class="muted">
          {shown.length} of {rows.length} requests (the last 1000 are kept)
        </span>
      </div>
      {rows.length === 0 ? (
        <p class="empty">No requests yet. Call one of your routes; it appears here at once.</p>
      ) : (
        <table class="requests">
          <thead>
            <tr>
              <th>Time</th>
              <th>Method</th>
              <th>Path</th>
              <th>Route</th>
              <th>Status</th>
              <th>Latency</th>
              <th>Authorizer</th>
            </tr>
          </thead>
          <tbody>
            {shown
              .slice()
              .reverse()
              .map((row) => (
                <tr
                  key={row.id}
                  data-testid="request-row"
                  data-id={row.id}
                  class={row.id === openId ? "open" : ""}
                  tabIndex={0}
                  aria-expanded={row.id === openId}
                  onClick={() => setOpenId(row.id === openId ? null : row.id)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" || e.key === " ") {
                      e.preventDefault();
                      setOpenId(row.id === openId ? null : row.id);
                    } else if (e.key === "ArrowDown" || e.key === "j") {
                      ((e.currentTarget as HTMLElement).nextElementSibling as HTMLElement | null)?.focus();
                    } else if (e.key === "ArrowUp" || e.key === "k") {
                      ((e.currentTarget as HTMLElement).previousElementSibling as HTMLElement | null)?.focus();
                    }
                  }}
                >
                  <td class="mono">{clock(row.time)}</td>
                  <td class="mono">{row.method}</td>
                  <td class="mono">
                    {row.path}
                    {row.query ? `?${row.query}` : ""}
                  </td>
                  <td class="mono">{row.routeKey ?? <span class="muted">no route</span>}</td>
                  <td class={`mono ${statusClass(row.status)}`} data-testid="status">
                    {row.status}
                  </td>
                  <td class="mono">{row.latencyMs} ms</td>
                  <td data-testid="verdict">
                    <Verdict verdict={row.verdict} />
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {openId !== null && <RequestPanel id={openId} liveLogs={liveLogs.get(openId)} onClose={() => setOpenId(null)} />}
    </section>
  );
}

function RequestPanel({ id, liveLogs, onClose }: { id: number; liveLogs: LogLine[] | undefined; onClose: () => void }) {
  const [detail, setDetail] = useState<RequestDetail | null>(null);
  const [error, setError] = useState("");
  const [raw, setRaw] = useState<string | null>(null);
  useEffect(() => {
    setDetail(null);
    setRaw(null);
    setError("");
    api<RequestDetail>(`requests/${id}`).then(setDetail, (err: Error) => setError(err.message));
  }, [id]);
  const liveCount = liveLogs?.length ?? 0;
  useEffect(() => {
    // Lines logged after the response (a handler's late promise) arrive later; fetch the row's lines again.
    if (liveCount > 0) api<RequestDetail>(`requests/${id}`).then(setDetail, () => {});
  }, [id, liveCount]);
  if (error) return <div class="panel error">{error}</div>;
  if (!detail) return <div class="panel muted">Loading…</div>;
  const logs = detail.logs;
  return (
    <section
      class="panel"
      data-testid="request-detail"
      aria-label={`Request ${detail.method} ${detail.path}`}
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      <div class="panel-head">
        <h2>
          {detail.method} {detail.path} → <span class={statusClass(detail.status)}>{detail.status}</span>
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p class="mono muted">
        request id {detail.requestId} · route {detail.routeKey ?? "none"} · {detail.latencyMs} ms
      </p>
      {detail.detailDropped && (
        <p class="warn">
          This request came during heavy load: only the newest 100 requests then keep their token, event and response. Its row and log
          lines are kept.
        </p>
      )}
      <p data-testid="detail-verdict">
        Authorizer: <Verdict verdict={detail.verdict} />
      </p>
      <div class="grid">
        <div>
          <h3>Token</h3>
          {detail.token ? (
            <>
              <h4>Header</h4>
              <pre data-testid="token-header">{pretty(detail.token.header)}</pre>
              <h4>Claims</h4>
              <pre data-testid="token-claims">{pretty(detail.token.claims)}</pre>
              {raw === null ? (
                <button type="button" onClick={() => api<{ raw: string }>(`requests/${id}/token`).then((r) => setRaw(r.raw))}>
                  Show raw token
                </button>
              ) : (
                <pre class="wrap" data-testid="raw-token">
                  {raw}
                </pre>
              )}
            </>
          ) : (
            <p class="muted">No token was presented{detail.verdict.kind === "none" ? " (no authorizer on this route)" : ""}.</p>
          )}
          <h3>Handler log</h3>
          {logs.length === 0 ? (
            <p class="muted">No lines logged for this request.</p>
          ) : (
            <pre data-testid="request-logs">{logs.map((line) => `${clock(line.time)} ${line.level} ${line.text}`).join("\n")}</pre>
          )}
        </div>
        <div>
          <h3>Request</h3>
          {detail.request ? (
            <>
              <pre class="wrap" data-testid="request-headers">
                {[
                  `${detail.method} ${detail.request.rawUrl}`,
                  // The token stays hidden here; "Show raw token" reveals it.
                  ...detail.request.headers.map(([n, v]) => `${n}: ${/^authorization$/i.test(n) ? `${v.split(" ")[0]} …(hidden)` : v}`),
                ].join("\n")}
              </pre>
              {detail.request.body.size > 0 && <BodyBlock body={detail.request.body} />}
            </>
          ) : (
            <p class="muted">Not recorded.</p>
          )}
          <h3>Response</h3>
          {detail.response ? (
            <>
              <pre>{detail.response.headers.map(([n, v]) => `${n}: ${v}`).join("\n")}</pre>
              <BodyBlock body={detail.response.body} />
            </>
          ) : (
            <p class="muted">Not recorded.</p>
          )}
          <h3>Event the handler received</h3>
          {detail.event === null ? (
            <p class="muted">The function was not invoked.</p>
          ) : (
            <>
              {detail.eventTruncated && <p class="warn">The body is cut at 64 KB in this view.</p>}
              <pre data-testid="request-event">{pretty(detail.event)}</pre>
            </>
          )}
        </div>
      </div>
      <ReplayForm detail={detail} />
    </section>
  );
}

function BodyBlock({ body }: { body: { text: string; encoding: string; size: number; truncated: boolean } }) {
  return (
    <>
      {body.truncated && <p class="warn">Body cut at 64 KB of {body.size} bytes.</p>}
      <pre class="wrap">{body.encoding === "base64" ? `(base64) ${body.text}` : body.text || "(empty body)"}</pre>
    </>
  );
}

function ReplayForm({ detail }: { detail: RequestDetail }) {
  // The token stays hidden here too: the server puts the original one back unless a new one is given.
  const original = Object.fromEntries(
    (detail.request?.headers ?? []).filter(([name]) => !/^(host|content-length|connection|authorization)$/i.test(name)),
  );
  const [headers, setHeaders] = useState(pretty(original));
  const [body, setBody] = useState(detail.request?.body.encoding === "utf8" ? detail.request.body.text : "");
  const [token, setToken] = useState("");
  const [result, setResult] = useState("");
  const replay = async () => {
    setResult("Sending…");
    try {
      const sent = await api<{ status: number; requestId: string | null }>(`requests/${detail.id}/replay`, {
        headers: JSON.parse(headers),
        body,
        token,
      });
      setResult(`Answered ${sent.status} (request ${sent.requestId ?? "?"}); it is the newest row.`);
    } catch (err) {
      setResult(`Replay failed: ${(err as Error).message}`);
    }
  };
  if (!detail.request) return null;
  return (
    <form
      class="replay"
      onSubmit={(e) => {
        e.preventDefault();
        void replay();
      }}
    >
      <h3>Replay</h3>
      <label>
        Token (empty: the one originally sent, if any)
        <input data-testid="replay-token" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} placeholder="eyJ…" />
      </label>
      <label>
        Headers (JSON)
        <textarea rows={5} value={headers} onInput={(e) => setHeaders((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label>
        Body
        <textarea rows={3} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
      </label>
      <button type="submit" data-testid="replay">
        Replay {detail.method} {detail.request.rawUrl}
      </button>
      {result && <p role="status">{result}</p>}
    </form>
  );
}
