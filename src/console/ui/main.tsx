import { render } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { FunctionsPage, RoutesPage } from "./app-pages.js";
import { api, type AppView, type LogLine, type RequestRow, type TenantView } from "./http.js";
import { IdentityPage } from "./identity-page.js";
import { RequestsPage } from "./requests-page.js";

const KEEP = 1000;
const TABS = ["Requests", "Routes", "Functions", "Identity"] as const;
type Tab = (typeof TABS)[number];

/** Rows by id, merged in order and capped like the server's journal. */
function merge(rows: RequestRow[], added: RequestRow[]): RequestRow[] {
  const last = rows.length > 0 ? rows[rows.length - 1].id : 0;
  const next = rows.concat(added.filter((row) => row.id > last));
  return next.length > KEEP ? next.slice(next.length - KEEP) : next;
}

function App() {
  const [tab, setTab] = useState<Tab>("Requests");
  const [rows, setRows] = useState<RequestRow[]>([]);
  const [liveLogs, setLiveLogs] = useState(new Map<number, LogLine[]>());
  const [connected, setConnected] = useState(false);
  const [app, setApp] = useState<AppView | null>(null);
  const [tenants, setTenants] = useState<TenantView[] | null>(null);

  const loadTenants = useCallback(() => {
    api<TenantView[]>("tenants").then(setTenants, () => setTenants([]));
  }, []);

  useEffect(() => {
    // Subscribe first, then load the list: rows pushed meanwhile are merged by id, none is lost.
    const source = new EventSource("/console/events");
    const load = () => api<RequestRow[]>("requests").then((list) => setRows((current) => merge(list, current.filter((row) => row.id > (list.at(-1)?.id ?? 0)))));
    source.onopen = () => {
      setConnected(true);
      void load();
    };
    source.onerror = () => setConnected(false);
    source.addEventListener("request", (e) => {
      const added = JSON.parse((e as MessageEvent).data) as RequestRow[];
      setRows((current) => merge(current, added));
    });
    source.addEventListener("log", (e) => {
      const lines = JSON.parse((e as MessageEvent).data) as Array<{ id: number; line: LogLine }>;
      setLiveLogs((current) => {
        const next = new Map(current);
        for (const { id, line } of lines) next.set(id, [...(next.get(id) ?? []), line]);
        // Bounded like the rows: only recent requests keep their live lines here.
        for (const id of next.keys()) if (next.size > KEEP) next.delete(id);
        return next;
      });
      setRows((current) => current.map((row) => (lines.some((l) => l.id === row.id) ? { ...row, logCount: row.logCount + lines.filter((l) => l.id === row.id).length } : row)));
    });
    source.addEventListener("resync", () => void load());
    // Under heavy load the server streams only the newest rows; the list is reloaded once the load calms.
    let gapTimer: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener("gap", () => {
      clearTimeout(gapTimer);
      gapTimer = setTimeout(() => void load(), 500);
    });
    api<AppView>("app").then(setApp);
    loadTenants();
    return () => source.close();
  }, [loadTenants]);

  useEffect(() => {
    if (tab === "Routes" || tab === "Functions") api<AppView>("app").then(setApp);
    if (tab === "Identity") loadTenants();
  }, [tab, loadTenants]);

  return (
    <>
      <header>
        <h1>Gatehouse dev console</h1>
        <div role="tablist" aria-label="Sections" class="tabs">
          {TABS.map((name) => (
            <button
              type="button"
              role="tab"
              aria-selected={tab === name}
              class={tab === name ? "active" : ""}
              onClick={() => setTab(name)}
              key={name}
            >
              {name}
            </button>
          ))}
        </div>
        <span class={connected ? "live" : "muted"} aria-live="polite">
          {connected ? "● live" : "○ reconnecting…"}
        </span>
      </header>
      <main>
        {tab === "Requests" && <RequestsPage rows={rows} liveLogs={liveLogs} />}
        {tab === "Routes" && <RoutesPage app={app} />}
        {tab === "Functions" && <FunctionsPage app={app} />}
        {tab === "Identity" && <IdentityPage tenants={tenants} app={app} reload={loadTenants} />}
      </main>
    </>
  );
}

const root = document.getElementById("app")!;
// The boot text is plain HTML for a first paint before the script runs; the app replaces it.
root.textContent = "";
render(<App />, root);
