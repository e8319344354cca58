import { useEffect, useState } from "preact/hooks";
import { api, type AppView, type LogLine, pretty } from "./http.js";

/** Each Api's routes with their authorization and handler, and the outputs block. */
export function RoutesPage({ app }: { app: AppView | null }) {
  if (!app) return <p class="muted">Loading…</p>;
  return (
    <section aria-label="Routes and outputs">
      {app.apis.map((entry) => (
        <div key={entry.id}>
          <h2>
            Api {entry.id} <span class="mono muted">{entry.url ?? "(not listening)"}</span>
          </h2>
          <table>
            <thead>
              <tr>
                <th>Route</th>
                <th>Authorization</th>
                <th>Scopes</th>
                <th>Function</th>
                <th>Handler</th>
              </tr>
            </thead>
            <tbody>
              {entry.routes.map((route) => (
                <tr key={route.key}>
                  <td class="mono">{route.key}</td>
                  <td>
                    {route.authorizationType}
                    {route.authorizer && (
                      <div class="muted small">
                        iss {route.authorizer.issuer}
                        <br />
                        aud {route.authorizer.audience.join(", ")}
                      </div>
                    )}
                  </td>
                  <td class="mono">{route.scopes.join(" ") || <span class="muted">none</span>}</td>
                  <td class="mono">{route.handler}</td>
                  <td class="mono">{route.location}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <h2>Outputs</h2>
      <pre>
        {Object.entries(app.outputs)
          .map(([stack, values]) => [`Stack ${stack}`, ...Object.entries(values).map(([k, v]) => `  ${k}: ${v}`)].join("\n"))
          .join("\n\n")}
      </pre>
    </section>
  );
}

interface InvokeResult {
  requestId: string;
  durationMs: number;
  outcome: { ok: true; payload: string } | { ok: false; kind: string; message: string };
  logs: LogLine[];
}

/** Invoke a function directly with an event (prefilled from its route) and see its result and logs. */
export function FunctionsPage({ app }: { app: AppView | null }) {
  const [functionId, setFunctionId] = useState("");
  const [event, setEvent] = useState("{}");
  const [result, setResult] = useState<InvokeResult | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    if (!functionId && app?.functions[0]) setFunctionId(app.functions[0].id);
  }, [app, functionId]);
  useEffect(() => {
    if (!functionId) return;
    setResult(null);
    api(`sample-event?function=${encodeURIComponent(functionId)}`).then((sample) => setEvent(pretty(sample)));
  }, [functionId]);
  if (!app) return <p class="muted">Loading…</p>;
  const invoke = async () => {
    setError("");
    setResult(null);
    try {
      setResult(await api<InvokeResult>("invoke", { functionId, event: JSON.parse(event) }));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section aria-label="Functions">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void invoke();
        }}
      >
        <label>
          Function{" "}
          <select value={functionId} onChange={(e) => setFunctionId((e.target as HTMLSelectElement).value)}>
            {app.functions.map((fn) => (
              <option value={fn.id}>
                {fn.handler} ({fn.location}){fn.routes.length > 0 ? ` — ${fn.routes.join(", ")}` : ""}
              </option>
            ))}
          </select>
        </label>
        <label>
          Event (JSON)
          <textarea rows={14} class="mono" value={event} onInput={(e) => setEvent((e.target as HTMLTextAreaElement).value)} />
        </label>
        <button type="submit">Invoke</button>
      </form>
      {error && <p class="error">{error}</p>}
      {result && (
        <div class="panel">
          <p>
            {result.outcome.ok ? "Returned" : `Failed (${result.outcome.kind})`} in {result.durationMs} ms · request id{" "}
            <span class="mono">{result.requestId}</span>
          </p>
          <pre class="wrap">{result.outcome.ok ? result.outcome.payload : result.outcome.message}</pre>
          <h3>Log</h3>
          <pre>{result.logs.map((line) => `${line.level} ${line.text}`).join("\n") || "(nothing logged)"}</pre>
        </div>
      )}
    </section>
  );
}
