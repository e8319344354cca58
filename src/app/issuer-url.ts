/**
 * Where key material may come from: https anywhere, plain http only on this machine. API Gateway itself
 * requires https issuers; loopback http is the one exception so offline dev issuers work.
 */

/** True when `hostname` (as URL.hostname spells it) names this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]" || host === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Parses `text` as a URL keys may be fetched from, or returns why it may not be used. */
export function parseKeySourceUrl(text: string): { ok: true; url: URL } | { ok: false; problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: `"${text}" is not a URL` };
  }
  if (url.protocol === "https:") return { ok: true, url };
  if (url.protocol === "http:" && isLoopbackHostname(url.hostname)) return { ok: true, url };
  if (url.protocol === "http:") {
    return { ok: false, problem: `"${text}" uses http; http is allowed only for loopback hosts, use https` };
  }
  return { ok: false, problem: `"${text}" must use https` };
}

/** The OIDC discovery URL of an issuer: `{issuer without trailing slash}/.well-known/openid-configuration`. */
export function discoveryUrlOf(issuerBase: URL): string {
  const text = issuerBase.href;
  const trimmed = text.endsWith("/") ? text.slice(0, -1) : text;
  return `${trimmed}/.well-known/openid-configuration`;
}
