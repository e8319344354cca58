import { escapeHtml } from "./html-escape.js";

/** What every universal-login page needs to render. */
export interface LoginPageModel {
  /** The tenant's display name ("myorg" for https://myorg.us.auth0.com/). */
  tenantName: string;
  /** The application's name. */
  clientName: string;
  /** Where the form posts. */
  action: string;
  /** The link to the other page (sign-up from login and back). */
  switchHref: string;
  csrfToken: string;
  email?: string;
  error?: string;
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f3f3f3;display:flex;justify-content:center;padding-top:8vh}
main{background:#fff;padding:40px;border-radius:6px;box-shadow:0 4px 20px rgba(0,0,0,.08);width:320px}
h1{font-size:24px;margin:0 0 8px;text-align:center}p{color:#444;text-align:center}
label{display:block;margin:14px 0 4px;font-size:14px}input{width:100%;box-sizing:border-box;padding:10px;font-size:15px}
button{margin-top:20px;width:100%;padding:12px;background:#635dff;color:#fff;border:0;border-radius:4px;font-size:15px}
.alert{background:#fde8e8;color:#b00020;padding:10px;border-radius:4px;margin:10px 0}ul{font-size:13px;color:#555}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function credentialsForm(model: LoginPageModel, submitLabel: string, autocomplete: string): string {
  const alert = model.error ? `<div class="alert" role="alert" id="error-message">${escapeHtml(model.error)}</div>` : "";
  return `${alert}<form method="post" action="${escapeHtml(model.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(model.csrfToken)}">
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(model.email ?? "")}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="${autocomplete}" required>
<button type="submit" name="action" value="default">${escapeHtml(submitLabel)}</button>
</form>`;
}

/** The universal login page: e-mail + password, the application's name and a sign-up link. */
export function renderLoginPage(model: LoginPageModel): string {
  return page(
    `Log in | ${model.clientName}`,
    `<h1>Welcome</h1><p>Log in to ${escapeHtml(model.tenantName)} to continue to ${escapeHtml(model.clientName)}.</p>
${credentialsForm(model, "Continue", "current-password")}
<p>Don't have an account? <a href="${escapeHtml(model.switchHref)}">Sign up</a></p>`,
  );
}

/** The sign-up page, with the password policy spelled out. */
export function renderSignupPage(model: LoginPageModel): string {
  return page(
    `Sign up | ${model.clientName}`,
    `<h1>Welcome</h1><p>Sign Up to ${escapeHtml(model.tenantName)} to continue to ${escapeHtml(model.clientName)}.</p>
${credentialsForm(model, "Continue", "new-password")}
<ul aria-label="Your password must contain:"><li>At least 8 characters</li><li>At least 3 of the following: lower case letters (a-z),
upper case letters (A-Z), numbers (0-9), special characters (e.g. !@#$%^&amp;*)</li></ul>
<p>Already have an account? <a href="${escapeHtml(model.switchHref)}">Log in</a></p>`,
  );
}

/** A stand-alone error page; used where redirecting would be unsafe (bad client or callback URL). */
export function renderErrorPage(title: string, detail: string, code?: string): string {
  const codeLine = code ? `<p><code>${escapeHtml(code)}</code></p>` : "";
  return page(title, `<h1>Oops!, something went wrong</h1><p><strong>${escapeHtml(title)}</strong></p><p>${escapeHtml(detail)}</p>${codeLine}`);
}
