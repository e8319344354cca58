import { GatehouseError } from "../errors.js";
import { type TokenResponse, loginForTokens } from "../identity/token-via-login.js";
import { TenantStore, WALKTHROUGH_CALLBACK } from "../identity/tenant-store.js";

/** An identity tenant dev runs, as the console finds it. */
export interface ConsoleTenant {
  /** What the page calls it: the issuer it plays, or `Auth <id>`. */
  label: string;
  /** The `iss` of its tokens. */
  issuer: string;
  /** Where it serves (login pages, token endpoint). */
  url: string;
  /** Its SQLite folder; the console opens it as the CLI does, next to the running provider. */
  dataDir: string;
}

/** A tenant as the page shows it: secrets left out (they are fetched one at a time on demand). */
export interface TenantView {
  index: number;
  label: string;
  issuer: string;
  url: string;
  users: Array<{ id: string; email: string; name: string; createdAt: string; passwordKnown: boolean }>;
  applications: Array<{ clientId: string; name: string; callbacks: string[]; logoutUrls: string[]; webOrigins: string[] }>;
  keys: Array<{ kid: string; createdAt: number; retiredAt?: number }>;
}

/**
 * The console's identity desk: users, applications and signing keys of each tenant, and logging in as a user
 * through the tenant's real login flow. Passwords the console set (new users, resets) are remembered for the
 * session only, in memory, so "act as" needs no typing; others must be entered.
 */
export class TenantDesk {
  private readonly stores = new Map<string, TenantStore>();
  private readonly passwords = new Map<string, string>();

  constructor(private readonly tenants: () => ConsoleTenant[]) {}

  async list(): Promise<TenantView[]> {
    const views: TenantView[] = [];
    for (const [index, tenant] of this.tenants().entries()) {
      const store = this.store(tenant);
      views.push({
        index,
        label: tenant.label,
        issuer: tenant.issuer,
        url: tenant.url,
        users: store.listUsers().map((user) => ({
          id: user.id,
          email: user.email,
          name: user.name,
          createdAt: user.createdAt,
          passwordKnown: this.passwords.has(this.passwordKey(tenant, user.id)),
        })),
        applications: store.listApplications().map((app) => ({
          clientId: app.clientId,
          name: app.name,
          callbacks: app.callbacks,
          logoutUrls: app.logoutUrls,
          webOrigins: app.webOrigins,
        })),
        keys: (await store.signingKeys()).map((key) => ({ kid: key.kid, createdAt: key.createdAt, retiredAt: key.retiredAt })),
      });
    }
    return views;
  }

  async addUser(index: number, email: string, password: string): Promise<{ id: string; email: string }> {
    const tenant = this.tenant(index);
    const user = await this.store(tenant).addUser({ email: text(email, "email"), password: text(password, "password") });
    this.passwords.set(this.passwordKey(tenant, user.id), password);
    return { id: user.id, email: user.email };
  }

  removeUser(index: number, userId: string): void {
    const tenant = this.tenant(index);
    if (!this.store(tenant).removeUser(text(userId, "user"))) throw new GatehouseError("GH_ERR_IDP_INVALID", `no user ${userId}`);
    this.passwords.delete(this.passwordKey(tenant, userId));
  }

  async resetPassword(index: number, userId: string, password: string): Promise<void> {
    const tenant = this.tenant(index);
    const user = await this.store(tenant).setUserPassword(text(userId, "user"), text(password, "password"));
    this.passwords.set(this.passwordKey(tenant, user.id), password);
  }

  secret(index: number, clientId: string): string {
    return this.application(index, clientId).clientSecret;
  }

  updateApplication(index: number, clientId: string, changes: { callbackUrls?: unknown; logoutUrls?: unknown; webOrigins?: unknown }) {
    const store = this.store(this.tenant(index));
    const record = store.updateApplication(text(clientId, "client id"), {
      callbackUrls: urls(changes.callbackUrls, "callbackUrls"),
      logoutUrls: urls(changes.logoutUrls, "logoutUrls"),
      webOrigins: urls(changes.webOrigins, "webOrigins"),
    });
    return { clientId: record.clientId, callbacks: record.callbacks, logoutUrls: record.logoutUrls, webOrigins: record.webOrigins };
  }

  async rotateKeys(index: number): Promise<string> {
    // The running provider notices the new key set on its next request (it compares the store's key version).
    return (await this.store(this.tenant(index)).rotateKeys()).kid;
  }

  /**
   * Logs the user in through the tenant's real authorization-code flow (login form, CSRF, code exchange) and
   * returns the tokens. Uses the password the console set, or the one given.
   */
  async login(index: number, request: { userId: string; clientId: string; password?: string; audience?: string; scope?: string }): Promise<TokenResponse> {
    const tenant = this.tenant(index);
    const store = this.store(tenant);
    const user = store.getUser(text(request.userId, "user"));
    if (!user) throw new GatehouseError("GH_ERR_IDP_INVALID", `no user ${request.userId}`);
    const password = request.password || this.passwords.get(this.passwordKey(tenant, user.id));
    if (!password) {
      throw new GatehouseError("GH_ERR_IDP_INVALID", `the console does not know ${user.email}'s password: enter it, or reset it here first`);
    }
    const app = this.application(index, request.clientId);
    const redirectUri = app.callbacks.includes(WALKTHROUGH_CALLBACK) ? WALKTHROUGH_CALLBACK : app.callbacks[0];
    if (!redirectUri) throw new GatehouseError("GH_ERR_IDP_INVALID", `application ${app.clientId} has no callback URL; add one first`);
    return loginForTokens({
      providerUrl: tenant.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      email: user.email,
      password,
      audience: request.audience || undefined,
      scope: request.scope || undefined,
      redirectUri,
    });
  }

  close(): void {
    for (const store of this.stores.values()) store.close();
    this.stores.clear();
  }

  private tenant(index: number): ConsoleTenant {
    const tenant = this.tenants()[index];
    if (!tenant) throw new GatehouseError("GH_ERR_IDP_INVALID", `no identity tenant #${index}`);
    return tenant;
  }

  private application(index: number, clientId: string) {
    const app = this.store(this.tenant(index)).getApplication(text(clientId, "client id"));
    if (!app) throw new GatehouseError("GH_ERR_IDP_INVALID", `no application with client id ${clientId}`);
    return app;
  }

  private store(tenant: ConsoleTenant): TenantStore {
    let store = this.stores.get(tenant.dataDir);
    if (!store) {
      store = new TenantStore(tenant.dataDir);
      this.stores.set(tenant.dataDir, store);
    }
    return store;
  }

  private passwordKey(tenant: ConsoleTenant, userId: string): string {
    return `${tenant.dataDir}\n${userId}`;
  }
}

function text(value: unknown, name: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new GatehouseError("GH_ERR_IDP_INVALID", `${name} is required`);
  return value.trim();
}

/** A list of absolute http(s) URLs, or undefined to leave the list as it is. */
function urls(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new GatehouseError("GH_ERR_IDP_INVALID", `${name} must be a list of URLs`);
  const list = value.map((item) => (typeof item === "string" ? item.trim() : "")).filter((item) => item !== "");
  for (const url of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      throw new GatehouseError("GH_ERR_IDP_INVALID", `${name}: "${url}" is not an http(s) URL`);
    }
  }
  return list;
}
