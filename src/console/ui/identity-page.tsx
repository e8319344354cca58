import { useState } from "preact/hooks";
import { api, type AppView, pretty, type TenantView } from "./http.js";

const input = (set: (value: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);

/** Users, applications and keys of each identity tenant, and "act as a user". */
export function IdentityPage({ tenants, app, reload }: { tenants: TenantView[] | null; app: AppView | null; reload: () => void }) {
  if (!tenants) return <p class="muted">Loading…</p>;
  if (tenants.length === 0) return <p class="empty">This app runs no identity tenant (no issuer to impersonate, no Auth construct).</p>;
  return (
    <section aria-label="Identity">
      {tenants.map((tenant) => (
        <Tenant key={tenant.index} tenant={tenant} app={app} reload={reload} />
      ))}
    </section>
  );
}

function useAction(reload: () => void) {
  const [message, setMessage] = useState("");
  const run = async (what: () => Promise<unknown>, done?: string) => {
    try {
      await what();
      setMessage(done ?? "");
      reload();
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  return { message, run };
}

function Tenant({ tenant, app, reload }: { tenant: TenantView; app: AppView | null; reload: () => void }) {
  const base = `tenants/${tenant.index}`;
  const { message, run } = useAction(reload);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  return (
    <div class="tenant">
      <h2>
        {tenant.label} <span class="muted mono small">served at {tenant.url}</span>
      </h2>
      <h3>Users</h3>
      <table>
        <thead>
          <tr>
            <th>E-mail</th>
            <th>User id (sub)</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {tenant.users.map((user) => (
            <tr key={user.id} data-testid="user-row">
              <td>{user.email}</td>
              <td class="mono">{user.id}</td>
              <td>
                <button
                  type="button"
                  onClick={() => {
                    const next = window.prompt(`New password for ${user.email}`);
                    if (next) void run(() => api(`${base}/reset-password`, { userId: user.id, password: next }), `Password of ${user.email} reset.`);
                  }}
                >
                  Reset password
                </button>{" "}
                <button type="button" onClick={() => run(() => api(`${base}/remove-user`, { userId: user.id }), `${user.email} removed.`)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => api(`${base}/add-user`, { email, password }), `${email} added.`).then(() => setPassword(""));
        }}
      >
        <input aria-label="E-mail" placeholder="e-mail" data-testid="add-user-email" value={email} onInput={input(setEmail)} />
        <input aria-label="Password" placeholder="password" type="password" data-testid="add-user-password" value={password} onInput={input(setPassword)} />
        <button type="submit" data-testid="add-user">
          Add user
        </button>
      </form>
      {message && <p role="status">{message}</p>}
      <h3>Applications</h3>
      {tenant.applications.map((application) => (
        <Application key={application.clientId} base={base} application={application} reload={reload} />
      ))}
      <h3>Signing keys</h3>
      <ul class="mono">
        {tenant.keys.map((key) => (
          <li key={key.kid}>
            {key.kid} {key.retiredAt ? <span class="muted">(retired, still published)</span> : <b>(current)</b>}
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => run(() => api(`${base}/rotate-keys`, {}), "Rotated: new tokens use the new key; old ones stay valid.")}>
        Rotate signing key
      </button>
      <ActAsUser tenant={tenant} app={app} />
    </div>
  );
}

function Application({ base, application, reload }: { base: string; application: TenantView["applications"][number]; reload: () => void }) {
  const { message, run } = useAction(reload);
  const [secret, setSecret] = useState<string | null>(null);
  const [callbacks, setCallbacks] = useState(application.callbacks.join("\n"));
  const [logoutUrls, setLogoutUrls] = useState(application.logoutUrls.join("\n"));
  const [origins, setOrigins] = useState(application.webOrigins.join("\n"));
  const lines = (text: string) => text.split(/\s+/).filter(Boolean);
  return (
    <form
      class="application"
      data-testid="application"
      data-client-id={application.clientId}
      onSubmit={(e) => {
        e.preventDefault();
        void run(
          () => api(`${base}/update-application`, { clientId: application.clientId, callbackUrls: lines(callbacks), logoutUrls: lines(logoutUrls), webOrigins: lines(origins) }),
          "Saved: the tenant accepts these URLs now.",
        );
      }}
    >
      <p>
        <b>{application.name}</b> · client id <span class="mono">{application.clientId}</span> · secret{" "}
        {secret === null ? (
          <button type="button" onClick={() => api<{ secret: string }>(`${base}/secret/${encodeURIComponent(application.clientId)}`).then((r) => setSecret(r.secret))}>
            Show secret
          </button>
        ) : (
          <span class="mono">{secret}</span>
        )}
      </p>
      <div class="grid3">
        <label>
          Callback URLs (one per line)
          <textarea rows={3} data-testid="callbacks" value={callbacks} onInput={input(setCallbacks)} />
        </label>
        <label>
          Logout URLs
          <textarea rows={3} value={logoutUrls} onInput={input(setLogoutUrls)} />
        </label>
        <label>
          Web origins
          <textarea rows={3} value={origins} onInput={input(setOrigins)} />
        </label>
      </div>
      <button type="submit" data-testid="save-application">
        Save URLs
      </button>
      {message && <span role="status"> {message}</span>}
    </form>
  );
}

interface Tokens {
  access_token: string;
  id_token?: string;
  scope?: string;
  expires_in: number;
}

function claimsOf(token: string | undefined): unknown {
  try {
    return JSON.parse(atob((token ?? "").split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    return null;
  }
}

/** Log in as a user through the tenant's real login flow, then call any route with the tokens. */
function ActAsUser({ tenant, app }: { tenant: TenantView; app: AppView | null }) {
  const [userId, setUserId] = useState("");
  const [clientId, setClientId] = useState("");
  const [password, setPassword] = useState("");
  const [audience, setAudience] = useState("");
  const [tokens, setTokens] = useState<Tokens | null>(null);
  const [error, setError] = useState("");
  const routes = (app?.apis ?? []).flatMap((entry) => entry.routes.map((route) => ({ apiId: entry.id, route })));
  const [routeIndex, setRouteIndex] = useState(0);
  const [path, setPath] = useState("");
  const [tokenKind, setTokenKind] = useState<"id_token" | "access_token">("id_token");
  const [response, setResponse] = useState<{ status: number; body: string; requestId: string | null } | null>(null);
  const user = userId || tenant.users[0]?.id || "";
  const client = clientId || tenant.applications[0]?.clientId || "";
  const chosen = routes[routeIndex];
  const routePath = chosen ? (chosen.route.key.split(" ")[1] ?? "/").replace(/\{([^}+]+)\+?\}/g, "$1") : "/";
  const login = async () => {
    setError("");
    setTokens(null);
    setResponse(null);
    try {
      setTokens(await api<Tokens>(`tenants/${tenant.index}/login`, { userId: user, clientId: client, password, audience }));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const call = async () => {
    if (!chosen || !tokens) return;
    setError("");
    setResponse(null);
    try {
      setResponse(
        await api("call", {
          apiId: chosen.apiId,
          routeKey: chosen.route.key,
          method: chosen.route.key.split(" ")[0] === "ANY" ? "GET" : chosen.route.key.split(" ")[0],
          path: path || routePath,
          token: tokenKind === "id_token" ? tokens.id_token : tokens.access_token,
        }),
      );
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div class="act-as">
      <h3>Act as a user</h3>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void login();
        }}
      >
        <label>
          User{" "}
          <select data-testid="act-user" value={user} onChange={input(setUserId)}>
            {tenant.users.map((u) => (
              <option value={u.id}>{u.email}</option>
            ))}
          </select>
        </label>
        <label>
          Application{" "}
          <select data-testid="act-app" value={client} onChange={input(setClientId)}>
            {tenant.applications.map((a) => (
              <option value={a.clientId}>{a.name}</option>
            ))}
          </select>
        </label>
        {!tenant.users.find((u) => u.id === user)?.passwordKnown && (
          <input aria-label="Password" type="password" placeholder="password" value={password} onInput={input(setPassword)} />
        )}
        <input aria-label="Audience" placeholder="audience (optional)" value={audience} onInput={input(setAudience)} />
        <button type="submit" data-testid="act-login" disabled={!user || !client}>
          Log in and get tokens
        </button>
      </form>
      {error && <p class="error">{error}</p>}
      {tokens && (
        <>
          <div class="grid">
            <div>
              <h4>ID token claims</h4>
              <pre data-testid="act-id-claims">{pretty(claimsOf(tokens.id_token))}</pre>
            </div>
            <div>
              <h4>Access token claims</h4>
              <pre>{pretty(claimsOf(tokens.access_token) ?? "(opaque)")}</pre>
            </div>
          </div>
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void call();
            }}
          >
            <label>
              Route{" "}
              <select
                data-testid="act-route"
                value={String(routeIndex)}
                onChange={(e) => {
                  setRouteIndex(Number((e.target as HTMLSelectElement).value));
                  setPath("");
                }}
              >
                {routes.map((entry, i) => (
                  <option value={String(i)}>{entry.route.key}</option>
                ))}
              </select>
            </label>
            <input aria-label="Path" class="mono" value={path || routePath} onInput={input(setPath)} />
            <label>
              Send{" "}
              <select value={tokenKind} onChange={(e) => setTokenKind((e.target as HTMLSelectElement).value as "id_token" | "access_token")}>
                <option value="id_token">ID token</option>
                <option value="access_token">access token</option>
              </select>
            </label>
            <button type="submit" data-testid="act-call">
              Call
            </button>
          </form>
          {response && (
            <pre data-testid="act-response">
              {response.status} {response.body}
            </pre>
          )}
        </>
      )}
    </div>
  );
}
