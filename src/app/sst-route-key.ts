/**
 * Route keys as SST 0.x accepts them in `routes`, before API Gateway's own rules apply (docs/sst-apps.md,
 * "Route keys"): runs of spaces or tabs between method and path count as one space, and the method may be
 * written in any case. Leading or trailing whitespace is refused, as SST refuses it.
 */

export type SstRouteKeyResult =
  | {
      ok: true;
      /** The key API Gateway stores: one space, upper-case method (`GET /notes`), or `$default`. */
      key: string;
      /** The key as `api.routes` lists it in SST: whitespace collapsed, method case kept (`Get /notes`). */
      listed: string;
    }
  | { ok: false; error: string };

export function normalizeSstRouteKey(raw: string): SstRouteKeyResult {
  if (raw === "$default") return { ok: true, key: raw, listed: raw };
  if (raw !== raw.trim()) return { ok: false, error: `invalid route "${raw}": leading or trailing whitespace` };
  const parts = raw.split(/\s+/);
  if (parts.length !== 2) return { ok: false, error: `invalid route "${raw}": expected "<METHOD> /<path>"` };
  const [method, path] = parts as [string, string];
  return { ok: true, key: `${method.toUpperCase()} ${path}`, listed: `${method} ${path}` };
}
