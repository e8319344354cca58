import type { IncomingMessage, ServerResponse } from "node:http";
import { compactVerify, createLocalJWKSet, decodeJwt } from "jose";
import { renderErrorPage } from "./login-pages.js";
import { parseFields, readRawBody } from "./request-body.js";
import type { TenantRuntime } from "./tenant-runtime.js";
import type { SigningJwk } from "./signing-key.js";
import { sendHtml } from "./send-response.js";

/** The public half of a signing key, as published in the JWKS. */
export function publicJwk(jwk: SigningJwk): Record<string, string> {
  return { kty: jwk.kty, use: jwk.use, alg: jwk.alg, kid: jwk.kid, n: jwk.n, e: jwk.e };
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, "Cache-Control": "no-store" }).end();
}

async function destroySession(provider: any, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ctx = provider.createContext(req, res);
  const session = await provider.Session.get(ctx);
  if (session) await session.destroy();
  for (const name of [provider.cookieName("session"), `${provider.cookieName("session")}.sig`]) {
    ctx.cookies.set(name, null);
    ctx.cookies.set(`${name}.legacy`, null);
  }
}

/** The audience and sid of an ID token we signed (expired ones are fine for a logout hint), or undefined. */
async function verifyIdTokenHint(tenant: TenantRuntime, token: string): Promise<{ aud: string; sid?: string } | undefined> {
  try {
    const keys = (await tenant.store.signingKeys()).map((key) => publicJwk(key.jwk));
    await compactVerify(token, createLocalJWKSet({ keys }));
    const claims = decodeJwt(token);
    if (claims.iss !== tenant.issuer) return undefined;
    const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    return typeof aud === "string" ? { aud, sid: typeof claims.sid === "string" ? claims.sid : undefined } : undefined;
  } catch {
    return undefined;
  }
}

function notAllowed(res: ServerResponse, parameter: string, value: string): void {
  sendHtml(
    res,
    400,
    renderErrorPage(
      "invalid_request",
      `The "${parameter}" querystring parameter "${value}" is not defined as a valid URL in "Allowed Logout URLs".`,
      "invalid_request",
    ),
  );
}

/**
 * Auth0's `GET /v2/logout`: ends the SSO session and redirects to `returnTo` when it is an Allowed Logout
 * URL of `client_id` — or, without `client_id`, of any application (standing in for the tenant-level list).
 */
export async function auth0Logout(tenant: TenantRuntime, provider: any, req: IncomingMessage, res: ServerResponse, url: URL) {
  const returnTo = url.searchParams.get("returnTo") ?? undefined;
  const clientId = url.searchParams.get("client_id") ?? undefined;
  const app = clientId ? tenant.store.getApplication(clientId) : undefined;
  if (clientId && !app) return sendHtml(res, 400, renderErrorPage("invalid_request", "Unknown client_id.", "invalid_request"));
  const allowed = app ? app.logoutUrls : tenant.store.listApplications().flatMap((each) => each.logoutUrls);
  const target = returnTo ?? app?.logoutUrls[0];
  if (target !== undefined && !allowed.includes(target)) return notAllowed(res, "returnTo", target);
  await destroySession(provider, req, res);
  if (target) return redirect(res, target);
  sendHtml(res, 200, "<!doctype html><title>Logged out</title><p>OK</p>");
}

/**
 * RP-initiated logout at `/oidc/logout` (GET or POST): checks `id_token_hint`, `client_id` and
 * `post_logout_redirect_uri` against the application, ends the session, and redirects with `state`.
 * Auth0 redirects rather than asking "Do you want to sign out?", so no confirmation page is shown.
 */
export async function oidcLogout(tenant: TenantRuntime, provider: any, req: IncomingMessage, res: ServerResponse, url: URL) {
  const params = new Map(url.searchParams);
  if (req.method === "POST") {
    const fields = parseFields(req.headers["content-type"], await readRawBody(req)) ?? {};
    for (const [key, value] of Object.entries(fields)) params.set(key, value);
  }
  const hintParam = params.get("id_token_hint");
  const hint = hintParam ? await verifyIdTokenHint(tenant, hintParam) : undefined;
  if (hintParam && !hint) return sendHtml(res, 400, renderErrorPage("invalid_request", "id_token_hint is not valid.", "invalid_request"));
  const clientId = params.get("client_id") ?? hint?.aud;
  if (hint && clientId !== hint.aud) {
    return sendHtml(res, 400, renderErrorPage("invalid_request", "client_id does not match the id_token_hint audience.", "invalid_request"));
  }
  const logoutHint = params.get("logout_hint");
  if (hint && logoutHint && hint.sid !== logoutHint) {
    return sendHtml(res, 400, renderErrorPage("invalid_request", "logout_hint does not match the id_token_hint session.", "invalid_request"));
  }
  const target = params.get("post_logout_redirect_uri");
  const app = clientId ? tenant.store.getApplication(clientId) : undefined;
  if (target !== undefined) {
    if (!app) return sendHtml(res, 400, renderErrorPage("invalid_request", "post_logout_redirect_uri needs client_id or id_token_hint.", "invalid_request"));
    if (!app.logoutUrls.includes(target)) return notAllowed(res, "post_logout_redirect_uri", target);
  }
  await destroySession(provider, req, res);
  if (target === undefined) return sendHtml(res, 200, "<!doctype html><title>Logged out</title><p>You are logged out.</p>");
  const location = new URL(target);
  const state = params.get("state");
  if (state !== undefined) location.searchParams.set("state", state);
  redirect(res, location.href);
}
