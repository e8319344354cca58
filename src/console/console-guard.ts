import { timingSafeEqual } from "node:crypto";

/** The cookie that carries the session token once the printed link was opened. */
export const SESSION_COOKIE = "gatehouse_console";

/**
 * The only Host values the console answers: its own loopback address. Anything else is a page on another
 * name that resolved to 127.0.0.1 (DNS rebinding) or a proxy, and is refused.
 */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/**
 * Browsers send Origin on cross-origin requests and on every POST; a request from another origin is refused
 * outright (the console answers no CORS). No Origin (a top-level navigation, curl) is fine: the cookie decides.
 */
export function isOwnOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/** The session token from a Cookie header, if it carries one. */
export function cookieToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Compares a presented token with the session's in constant time. */
export function isSessionToken(presented: string | undefined | null, token: string): boolean {
  if (typeof presented !== "string") return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Set-Cookie value that lets the page in: not readable by scripts, never sent from another site. */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
