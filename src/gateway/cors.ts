import type { CorsManifest } from "../manifest/manifest.js";
import { getOwn } from "./own-record.js";

/** An Api's CORS configuration, compiled once, applied by the gateway (docs/api-gateway.md §6). */
export interface Cors {
  /** OPTIONS with both `Origin` and `Access-Control-Request-Method`: answered by the gateway itself. */
  isPreflight(method: string, headers: Record<string, string>): boolean;
  /** The gateway's own answer to a preflight (no body). */
  preflight(origin: string): { statusCode: number; headers: Array<[string, string]> };
  /** Replaces any backend CORS headers with the configured ones for a normal CORS request. */
  decorate(headers: Array<[string, string]>, origin: string): Array<[string, string]>;
}

/** Choices AWS leaves open (docs/api-gateway.md §6). */
export interface CorsOptions {
  /**
   * Status of a preflight from an origin that is not allowed. AWS's is unverified; 204 without any
   * Access-Control-* header makes the browser fail the preflight just the same (ministack sends 403).
   */
  disallowedPreflightStatus?: number;
}

/** Compiles a CorsManifest; null when the Api has no CORS configuration. */
export function compileCors(config: CorsManifest | null, options: CorsOptions = {}): Cors | null {
  if (!config) return null;
  const origins = config.allowOrigins.map((o) => o.toLowerCase());
  const onlyStar = origins.length === 1 && origins[0] === "*";
  const anyOrigin = origins.includes("*");
  const anyHttps = origins.includes("https://*");
  const anyHttp = origins.includes("http://*");
  const exact = new Set(origins);
  const disallowedStatus = options.disallowedPreflightStatus ?? 204;

  const allowOrigin = (origin: string): string | null => {
    if (onlyStar) return "*";
    const lower = origin.toLowerCase();
    if (anyOrigin || exact.has(lower)) return origin;
    if (anyHttps && lower.startsWith("https://")) return origin;
    if (anyHttp && lower.startsWith("http://")) return origin;
    return null;
  };

  const common: Array<[string, string]> = [];
  if (config.allowCredentials) common.push(["access-control-allow-credentials", "true"]);
  const preflightExtra: Array<[string, string]> = [...common];
  if (config.allowMethods.length > 0) preflightExtra.push(["access-control-allow-methods", config.allowMethods.join(",")]);
  if (config.allowHeaders.length > 0) preflightExtra.push(["access-control-allow-headers", config.allowHeaders.join(",")]);
  if (config.maxAge !== null) preflightExtra.push(["access-control-max-age", String(config.maxAge)]);
  const responseExtra: Array<[string, string]> = [...common];
  if (config.exposeHeaders.length > 0) responseExtra.push(["access-control-expose-headers", config.exposeHeaders.join(",")]);

  return {
    isPreflight(method, headers) {
      return (
        method === "OPTIONS" &&
        getOwn(headers, "origin") !== undefined &&
        getOwn(headers, "access-control-request-method") !== undefined
      );
    },
    preflight(origin) {
      const allowed = allowOrigin(origin);
      if (allowed === null) return { statusCode: disallowedStatus, headers: [["vary", "Origin"]] };
      return {
        statusCode: 204,
        headers: [["access-control-allow-origin", allowed], ...preflightExtra, ["vary", "Origin"]],
      };
    },
    decorate(headers, origin) {
      const out: Array<[string, string]> = [];
      let vary: string | null = null;
      for (const header of headers) {
        const name = header[0];
        // API Gateway ignores CORS headers from the integration when CORS is configured.
        if (name.startsWith("access-control-")) continue;
        if (name === "vary") {
          vary = vary === null ? header[1] : `${vary}, ${header[1]}`;
          continue;
        }
        out.push(header);
      }
      const allowed = allowOrigin(origin);
      if (allowed !== null) {
        out.push(["access-control-allow-origin", allowed]);
        for (const extra of responseExtra) out.push(extra);
      }
      if (vary === null) vary = "Origin";
      else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(vary)) vary = `${vary}, Origin`;
      out.push(["vary", vary]);
      return out;
    },
  };
}
