import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isGatehouseError } from "../errors.js";
import { BLOCKED_MESSAGE } from "./login-throttle.js";
import { renderErrorPage, renderLoginPage, renderSignupPage } from "./login-pages.js";
import { isStrongEnough } from "./password-hash.js";
import { interactionPath } from "./provider-configuration.js";
import { parseFields, readRawBody } from "./request-body.js";
import type { TenantRuntime } from "./tenant-runtime.js";
import { sendHtml } from "./send-response.js";

const WRONG_CREDENTIALS = "Wrong email or password";

function csrfToken(tenant: TenantRuntime, uid: string): string {
  return createHmac("sha256", tenant.csrfSecret).update(`login:${uid}`).digest("base64url");
}

function csrfMatches(tenant: TenantRuntime, uid: string, presented: string | undefined): boolean {
  const expected = Buffer.from(csrfToken(tenant, uid));
  const actual = Buffer.from(presented ?? "");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The client IP the throttle counts, per Auth0: the connecting address. */
export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}

type Screen = "login" | "signup";

/**
 * Serves the universal login pages for oidc-provider interactions under `/u/<uid>`: the login and
 * sign-up forms (CSRF-protected, throttled, no user enumeration) and the silent first-party consent.
 */
export function universalLogin(tenant: TenantRuntime, provider: () => any) {
  async function render(
    res: ServerResponse,
    details: any,
    screen: Screen,
    status: number,
    extra: { email?: string; error?: string } = {},
  ): Promise<void> {
    const app = tenant.store.getApplication(String(details.params.client_id));
    const base = interactionPath(details.uid);
    const model = {
      tenantName: tenant.tenantName,
      clientName: app?.name ?? String(details.params.client_id),
      action: `${base}/${screen}`,
      switchHref: screen === "login" ? `${base}/signup` : `${base}/login`,
      csrfToken: csrfToken(tenant, details.uid),
      email: extra.email ?? (typeof details.params.login_hint === "string" ? details.params.login_hint : undefined),
      error: extra.error,
    };
    sendHtml(res, status, screen === "login" ? renderLoginPage(model) : renderSignupPage(model));
  }

  async function finishConsent(req: IncomingMessage, res: ServerResponse, details: any): Promise<void> {
    const Grant = provider().Grant;
    let grant = details.grantId ? await Grant.find(details.grantId) : undefined;
    grant ??= new Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details ?? {};
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries<string[]>(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(" "));
    }
    const grantId = await grant.save();
    await provider().interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async function submit(req: IncomingMessage, res: ServerResponse, details: any, screen: Screen): Promise<void> {
    const fields = parseFields(req.headers["content-type"], await readRawBody(req));
    if (!fields || !csrfMatches(tenant, details.uid, fields.csrf)) {
      sendHtml(res, 403, renderErrorPage("Invalid request.", "The form has expired or was not sent by this page. Start the login again.", "invalid_csrf"));
      return;
    }
    const email = (fields.email ?? "").trim();
    const password = fields.password ?? "";
    const ip = clientIp(req);
    if (screen === "signup") {
      if (!isStrongEnough(password)) return render(res, details, "signup", 400, { email, error: "The password is too weak" });
      try {
        const user = await tenant.store.addUser({ email, password });
        tenant.logger.info(`identity: signed up ${user.email} (${user.id})`);
        await provider().interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
      } catch (err) {
        if (!isGatehouseError(err)) throw err;
        const message = err.code === "GH_ERR_EMAIL_INVALID"
          ? "Email is not valid."
          : /already exists/.test(err.message)
            ? "The user already exists."
            : "Something went wrong, please try again.";
        await render(res, details, "signup", 400, { email, error: message });
      }
      return;
    }
    if (tenant.throttle.isBlocked(email, ip)) return render(res, details, "login", 429, { email, error: BLOCKED_MESSAGE });
    const user = await tenant.store.verifyCredentials(email, password);
    if (!user) {
      const blocked = tenant.throttle.recordFailure(email, ip);
      return render(res, details, "login", blocked ? 429 : 400, { email, error: blocked ? BLOCKED_MESSAGE : WRONG_CREDENTIALS });
    }
    tenant.throttle.recordSuccess(email, ip);
    await provider().interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  }

  /** Handles a request under `/u/`; returns false when the path is not a login page. */
  return async function handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const match = /^\/u\/([A-Za-z0-9_-]+)(?:\/(login|signup))?$/.exec(pathname);
    if (!match) return false;
    let details: any;
    try {
      details = await provider().interactionDetails(req, res);
    } catch {
      sendHtml(res, 400, renderErrorPage("Your login session has expired.", "Go back to the application and log in again.", "invalid_request"));
      return true;
    }
    if (details.uid !== match[1]) {
      sendHtml(res, 400, renderErrorPage("Invalid request.", "This login page belongs to another login attempt.", "invalid_request"));
      return true;
    }
    const requested: Screen | undefined = match[2] as Screen | undefined;
    if (req.method === "GET") {
      if (details.prompt.name === "consent") return finishConsent(req, res, details).then(() => true);
      const screen: Screen = requested ?? (details.params.screen_hint === "signup" ? "signup" : "login");
      await render(res, details, screen, 200);
      return true;
    }
    if (req.method === "POST" && requested) {
      if (details.prompt.name !== "login") {
        sendHtml(res, 400, renderErrorPage("Invalid request.", "This login attempt is already complete.", "invalid_request"));
        return true;
      }
      await submit(req, res, details, requested);
      return true;
    }
    res.writeHead(405, { Allow: "GET, POST" }).end();
    return true;
  };
}
