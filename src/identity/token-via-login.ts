import { randomBytes } from "node:crypto";
import { GatehouseError } from "../errors.js";
import { WALKTHROUGH_CALLBACK } from "./tenant-store.js";

/** What {@link loginForTokens} needs; the client must allow `redirectUri` as a callback. */
export interface LoginForTokensOptions {
  /** The tenant's loopback URL (`RunningIdentityProvider.url`). */
  providerUrl: string;
  clientId: string;
  clientSecret: string;
  email: string;
  password: string;
  audience?: string;
  /** Default: the walkthrough's `http://localhost:5678`. */
  redirectUri?: string;
  /** Default: `openid profile`. */
  scope?: string;
}

/** The token endpoint's answer, as Auth0 shapes it. */
export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
  expires_in: number;
  token_type: string;
}

/** A cookie jar just big enough for a login: names to values, expired cookies dropped. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expires = attributes.find((attr) => attr.trim().toLowerCase().startsWith("expires="));
      const expired = expires !== undefined && Date.parse(expires.split("=")[1]) <= Date.now();
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

function fail(message: string): never {
  throw new GatehouseError("GH_ERR_IDP_INVALID", message);
}

function hiddenField(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Options of {@link authorizeWithLogin}: the login part of {@link LoginForTokensOptions} plus raw extras. */
export interface AuthorizeWithLoginOptions extends Omit<LoginForTokensOptions, "clientSecret"> {
  /** Extra or overriding /authorize parameters (state, nonce, code_challenge, prompt, ...). */
  params?: Record<string, string>;
  /** Carry an SSO session between calls. */
  jar?: CookieJar;
  /** Sign the user up on the sign-up page instead of logging in. */
  signUp?: boolean;
}

/**
 * Runs /authorize and the universal login form like a browser (cookies, CSRF token, redirects) and
 * returns the callback URL the provider redirected to — carrying `code` or `error`.
 */
export async function authorizeWithLogin(options: AuthorizeWithLoginOptions): Promise<URL> {
  const base = options.providerUrl.endsWith("/") ? options.providerUrl : `${options.providerUrl}/`;
  const redirectUri = options.redirectUri ?? WALKTHROUGH_CALLBACK;
  const authorize = new URL("authorize", base);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: options.clientId,
    redirect_uri: redirectUri,
    scope: options.scope ?? "openid profile",
    ...(options.audience ? { audience: options.audience } : {}),
    ...options.params,
  }).toString();

  const jar = options.jar ?? new CookieJar();
  let next: { url: string; init: RequestInit } | undefined = { url: authorize.href, init: { method: "GET" } };
  let submitted = false;
  for (let hop = 0; next && hop < 20; hop++) {
    const response: Response = await fetch(next.url, {
      ...next.init,
      redirect: "manual",
      headers: { ...(next.init.headers as Record<string, string>), cookie: jar.header(), accept: "text/html" },
    });
    jar.store(response);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const target: URL = new URL(location, next.url);
      if (target.href.startsWith(redirectUri)) return target;
      next = { url: target.href, init: { method: "GET" } };
      continue;
    }
    const html = await response.text();
    let action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    const alert = /role="alert"[^>]*>([^<]*)</.exec(html)?.[1];
    if (!submitted && action && options.signUp) action = action.replace(/\/login$/, "/signup");
    if (submitted || !action) {
      const why = alert ?? /<p><strong>([^<]*)</.exec(html)?.[1] ?? `HTTP ${response.status}`;
      fail(`login failed for ${options.email}: ${decodeEntities(why)}`);
    }
    submitted = true;
    next = {
      url: new URL(decodeEntities(action), next.url).href,
      init: {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          csrf: hiddenField(html, "csrf") ?? "",
          email: options.email,
          password: options.password,
        }).toString(),
      },
    };
  }
  fail("login failed: too many redirects");
}

/**
 * Logs a user in through the real authorization-code flow over HTTP — /authorize, the login form with its
 * CSRF token, the redirect carrying the code, then /oauth/token with client_secret_post — and returns the
 * token response. Used by `gatehouse idp token` and by tests.
 */
export async function loginForTokens(options: LoginForTokensOptions): Promise<TokenResponse> {
  const base = options.providerUrl.endsWith("/") ? options.providerUrl : `${options.providerUrl}/`;
  const redirectUri = options.redirectUri ?? WALKTHROUGH_CALLBACK;
  const state = randomBytes(16).toString("base64url");
  const callback = await authorizeWithLogin({ ...options, params: { state, nonce: randomBytes(16).toString("base64url") } });
  const error = callback.searchParams.get("error");
  if (error) fail(`login failed: ${error}: ${callback.searchParams.get("error_description") ?? ""}`);
  if (callback.searchParams.get("state") !== state) fail("login failed: the callback did not return our state");
  const code = callback.searchParams.get("code") ?? fail("login failed: the callback carried no code");
  return exchangeCode(base, options, code, redirectUri);
}

async function exchangeCode(base: string, options: LoginForTokensOptions, code: string, redirectUri: string): Promise<TokenResponse> {
  const response = await fetch(new URL("oauth/token", base), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: options.clientId,
      client_secret: options.clientSecret,
      code,
      redirect_uri: redirectUri,
    }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) fail(`code exchange failed (${response.status}): ${body.error ?? ""} ${body.error_description ?? ""}`.trim());
  return body as unknown as TokenResponse;
}
