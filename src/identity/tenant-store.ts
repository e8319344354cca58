import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { GatehouseError } from "../errors.js";
import { makeDatabasePrivate, makePrivateDir, touchPrivateFile } from "../private-files.js";
import { checkEmail } from "./email-address.js";
import { hashPassword, isStrongEnough, verifyAgainstDecoy, verifyPassword } from "./password-hash.js";
import { generateSigningJwk, type SigningJwk } from "./signing-key.js";
import { SERVED_GRANT_TYPES } from "./grants-and-scopes.js";

/** An Auth0 "application": an OAuth client of the tenant. */
export interface ApplicationRecord {
  clientId: string;
  clientSecret: string;
  name: string;
  callbacks: string[];
  logoutUrls: string[];
  webOrigins: string[];
  grantTypes: string[];
  /** `client_secret_post` for confidential apps (Basic is accepted too), `none` for PKCE-only public apps. */
  tokenEndpointAuthMethod: "client_secret_post" | "none";
  createdAt: string;
}

/** What a caller may set on an application; everything but the client id has a default. */
export interface ApplicationInput {
  clientId: string;
  name?: string;
  clientSecret?: string;
  callbacks?: string[];
  logoutUrls?: string[];
  webOrigins?: string[];
  grantTypes?: string[];
  tokenEndpointAuthMethod?: "client_secret_post" | "none";
}

/** An Auth0 "API" (resource server) that access tokens can be issued for via `audience`. */
export interface ApiRecord {
  identifier: string;
  name: string;
  scopes: string[];
  /** With RBAC on, user tokens carry `permissions` (the user's permissions within this API's scopes). */
  rbac: boolean;
  tokenLifetime: number;
}

/** A database-connection user, without its password hash. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  nickname: string;
  picture?: string;
  givenName?: string;
  familyName?: string;
  emailVerified: boolean;
  permissions: string[];
  createdAt: string;
  updatedAt: string;
}

/** Profile fields accepted when a user is created. */
export interface NewUser {
  email: string;
  password: string;
  name?: string;
  nickname?: string;
  picture?: string;
  givenName?: string;
  familyName?: string;
  permissions?: string[];
}

/** A signing key with its lifecycle; retired keys stay published until their tokens have expired. */
export interface SigningKeyRecord {
  kid: string;
  jwk: SigningJwk;
  createdAt: number;
  retiredAt?: number;
}

/** The callback the walkthrough registers ("add http://localhost:5678 to the Allowed Callback URLs"). */
export const WALKTHROUGH_CALLBACK = "http://localhost:5678";

/** Grant types an application gets unless told otherwise: all the tenant serves (Auth0's Regular Web Application set, plus password). */
export const DEFAULT_GRANT_TYPES: readonly string[] = SERVED_GRANT_TYPES;

// A retired key stays published for the longest token lifetime (a day, access tokens) plus two hours, well
// beyond how long API Gateway caches a key set (up to an hour).
const DEFAULT_KEY_RETENTION_SECONDS = 86400 + 7200;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS applications (
  client_id TEXT PRIMARY KEY, client_secret TEXT NOT NULL, name TEXT NOT NULL, callbacks TEXT NOT NULL,
  logout_urls TEXT NOT NULL, web_origins TEXT NOT NULL, grant_types TEXT NOT NULL,
  token_endpoint_auth_method TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS apis (
  identifier TEXT PRIMARY KEY, name TEXT NOT NULL, scopes TEXT NOT NULL, rbac INTEGER NOT NULL,
  token_lifetime INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS client_grants (
  client_id TEXT NOT NULL, audience TEXT NOT NULL, scopes TEXT NOT NULL, PRIMARY KEY (client_id, audience));
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, password_hash TEXT NOT NULL,
  profile TEXT NOT NULL, permissions TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS signing_keys (
  kid TEXT PRIMARY KEY, jwk TEXT NOT NULL, created_at INTEGER NOT NULL, retired_at INTEGER);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS oidc_rows (
  model TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL, grant_id TEXT, user_code TEXT, uid TEXT,
  expires_at INTEGER, consumed_at INTEGER, PRIMARY KEY (model, id));
CREATE INDEX IF NOT EXISTS oidc_rows_grant ON oidc_rows (grant_id);
CREATE INDEX IF NOT EXISTS oidc_rows_uid ON oidc_rows (model, uid);
CREATE INDEX IF NOT EXISTS oidc_rows_user_code ON oidc_rows (model, user_code);
`;

interface ApplicationRow {
  client_id: string;
  client_secret: string;
  name: string;
  callbacks: string;
  logout_urls: string;
  web_origins: string;
  grant_types: string;
  token_endpoint_auth_method: string;
  created_at: string;
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  profile: string;
  permissions: string;
  created_at: string;
  updated_at: string;
}

interface OidcRow {
  payload: string;
  expires_at: number | null;
}

function union(existing: string[], added: string[] | undefined): string[] {
  return [...new Set([...existing, ...(added ?? [])])];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** An absolute URL without a fragment, as Auth0 requires of callback and logout URLs. */
function checkedUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GatehouseError("GH_ERR_IDP_INVALID", `${what} "${value}" is not an absolute URL. Fix: write it in full, e.g. http://localhost:3000/callback`);
  }
  if (url.hash) throw new GatehouseError("GH_ERR_IDP_INVALID", `${what} "${value}" has a #fragment, which OAuth forbids in redirect URLs. Fix: drop it.`);
  return value;
}

/** A web origin: scheme, host and port only (`http://localhost:3000`), as browsers send in `Origin`. */
function checkedOrigin(value: string): string {
  const url = new URL(checkedUrl(value, "web origin"));
  if (url.origin === "null" || value.replace(/\/$/, "") !== url.origin) {
    throw new GatehouseError("GH_ERR_IDP_INVALID", `web origin "${value}" is not an origin. Fix: give scheme, host and port only, e.g. ${url.origin === "null" ? "http://localhost:3000" : url.origin}`);
  }
  return url.origin;
}

function toApplication(row: ApplicationRow): ApplicationRecord {
  return {
    clientId: row.client_id,
    clientSecret: row.client_secret,
    name: row.name,
    callbacks: JSON.parse(row.callbacks),
    logoutUrls: JSON.parse(row.logout_urls),
    webOrigins: JSON.parse(row.web_origins),
    grantTypes: JSON.parse(row.grant_types),
    tokenEndpointAuthMethod: row.token_endpoint_auth_method === "none" ? "none" : "client_secret_post",
    createdAt: row.created_at,
  };
}

function toUser(row: UserRow): UserRecord {
  const profile = JSON.parse(row.profile) as Partial<UserRecord>;
  return {
    id: row.id,
    email: row.email,
    name: profile.name ?? row.email,
    nickname: profile.nickname ?? row.email.split("@")[0],
    picture: profile.picture,
    givenName: profile.givenName,
    familyName: profile.familyName,
    emailVerified: profile.emailVerified ?? false,
    permissions: JSON.parse(row.permissions),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The data folder of the tenant impersonating `issuer` under a stage's state folder. */
export function tenantDataDir(stateDir: string, issuer: string): string {
  let name = issuer;
  try {
    const parsed = new URL(issuer);
    name = `${parsed.hostname}${parsed.port ? `_${parsed.port}` : ""}${parsed.pathname.replace(/\/+$/, "")}`;
  } catch {
    // Not a URL: use the text itself, made safe below.
  }
  return join(stateDir, "idp", name.replace(/[^A-Za-z0-9._-]+/g, "_"));
}

/**
 * oidc-provider models whose id is itself a credential (an authorization code, an opaque access or refresh
 * token, the session and interaction cookie values): stored under a hash of the id.
 */
export const HASHED_MODELS: ReadonlySet<string> = new Set(["AuthorizationCode", "AccessToken", "RefreshToken", "ClientCredentials", "Session", "Interaction"]);
const HASHED_ID_PREFIX = "sha256:";

function withoutKey(payload: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = payload;
  return rest;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * One tenant's persistent state in `<dataDir>/identity.sqlite`: applications, APIs, users, signing keys
 * and oidc-provider's own rows. WAL mode lets the CLI and a running dev server open the file together.
 */
export class TenantStore {
  readonly path: string;
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    this.path = join(dataDir, "identity.sqlite");
    try {
      // Private keys, client secrets and sessions: folder 0700, database (and its -wal/-shm) 0600.
      makePrivateDir(dataDir);
      touchPrivateFile(this.path);
      this.db = new Database(this.path);
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("busy_timeout = 5000");
      this.db.exec(SCHEMA);
      makeDatabasePrivate(this.path);
      this.forgetUnhashedSecrets();
    } catch (cause) {
      throw new GatehouseError("GH_ERR_IDP_INVALID", `cannot open the identity store ${this.path}: ${(cause as Error).message}`, {
        cause,
      });
    }
  }

  /** Closes the database file. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- applications ----

  /** Creates or updates an application; callbacks/origins are merged and an existing secret is kept. */
  upsertApplication(input: ApplicationInput): ApplicationRecord {
    const existing = this.getApplication(input.clientId);
    const record: ApplicationRecord = {
      clientId: input.clientId,
      clientSecret: input.clientSecret ?? existing?.clientSecret ?? randomBytes(48).toString("base64url"),
      name: input.name ?? existing?.name ?? input.clientId,
      callbacks: union(existing?.callbacks ?? [], input.callbacks),
      logoutUrls: union(existing?.logoutUrls ?? [], input.logoutUrls),
      webOrigins: union(existing?.webOrigins ?? [], input.webOrigins),
      grantTypes: input.grantTypes ?? existing?.grantTypes ?? [...DEFAULT_GRANT_TYPES],
      tokenEndpointAuthMethod: input.tokenEndpointAuthMethod ?? existing?.tokenEndpointAuthMethod ?? "client_secret_post",
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    };
    this.db
      .prepare(
        `INSERT INTO applications VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(client_id) DO UPDATE SET
         client_secret=excluded.client_secret, name=excluded.name, callbacks=excluded.callbacks,
         logout_urls=excluded.logout_urls, web_origins=excluded.web_origins, grant_types=excluded.grant_types,
         token_endpoint_auth_method=excluded.token_endpoint_auth_method`,
      )
      .run(
        record.clientId,
        record.clientSecret,
        record.name,
        JSON.stringify(record.callbacks),
        JSON.stringify(record.logoutUrls),
        JSON.stringify(record.webOrigins),
        JSON.stringify(record.grantTypes),
        record.tokenEndpointAuthMethod,
        record.createdAt,
      );
    return record;
  }

  /**
   * Replaces the allowed callback URLs, logout URLs and/or web origins of an existing application (each list
   * given replaces the stored one, as Auth0's Management API PATCH does); lists not given stay. A running
   * tenant reads applications per request, so the change applies at once. IDP_INVALID for an unknown client
   * or a URL Auth0 would refuse.
   */
  updateApplication(
    clientId: string,
    changes: { callbackUrls?: readonly string[]; logoutUrls?: readonly string[]; webOrigins?: readonly string[] },
  ): ApplicationRecord {
    const existing = this.getApplication(clientId);
    if (!existing) throw new GatehouseError("GH_ERR_IDP_INVALID", `no application ${clientId} in this tenant`);
    const callbacks = changes.callbackUrls ? unique(changes.callbackUrls.map((url) => checkedUrl(url, "callback URL"))) : existing.callbacks;
    const logoutUrls = changes.logoutUrls ? unique(changes.logoutUrls.map((url) => checkedUrl(url, "logout URL"))) : existing.logoutUrls;
    const webOrigins = changes.webOrigins ? unique(changes.webOrigins.map(checkedOrigin)) : existing.webOrigins;
    this.db
      .prepare("UPDATE applications SET callbacks = ?, logout_urls = ?, web_origins = ? WHERE client_id = ?")
      .run(JSON.stringify(callbacks), JSON.stringify(logoutUrls), JSON.stringify(webOrigins), clientId);
    return this.getApplication(clientId)!;
  }

  /** The application with this client id, if any. */
  getApplication(clientId: string): ApplicationRecord | undefined {
    const row = this.db.prepare("SELECT * FROM applications WHERE client_id = ?").get(clientId) as ApplicationRow | undefined;
    return row ? toApplication(row) : undefined;
  }

  /** All applications, oldest first. */
  listApplications(): ApplicationRecord[] {
    const rows = this.db.prepare("SELECT * FROM applications ORDER BY created_at, client_id").all() as ApplicationRow[];
    return rows.map(toApplication);
  }

  // ---- APIs and client grants ----

  /** Creates or replaces an API (resource server). */
  upsertApi(input: { identifier: string; name?: string; scopes?: string[]; rbac?: boolean; tokenLifetime?: number }): ApiRecord {
    const existing = this.getApi(input.identifier);
    const record: ApiRecord = {
      identifier: input.identifier,
      name: input.name ?? existing?.name ?? input.identifier,
      scopes: input.scopes ?? existing?.scopes ?? [],
      rbac: input.rbac ?? existing?.rbac ?? false,
      tokenLifetime: input.tokenLifetime ?? existing?.tokenLifetime ?? 86400,
    };
    this.db
      .prepare("INSERT OR REPLACE INTO apis VALUES (?,?,?,?,?)")
      .run(record.identifier, record.name, JSON.stringify(record.scopes), record.rbac ? 1 : 0, record.tokenLifetime);
    return record;
  }

  /** The API with this identifier (the `audience` value), if any. */
  getApi(identifier: string): ApiRecord | undefined {
    const row = this.db.prepare("SELECT * FROM apis WHERE identifier = ?").get(identifier) as
      | { identifier: string; name: string; scopes: string; rbac: number; token_lifetime: number }
      | undefined;
    if (!row) return undefined;
    return { identifier: row.identifier, name: row.name, scopes: JSON.parse(row.scopes), rbac: row.rbac === 1, tokenLifetime: row.token_lifetime };
  }

  /** All APIs. */
  listApis(): ApiRecord[] {
    const rows = this.db.prepare("SELECT identifier FROM apis ORDER BY identifier").all() as { identifier: string }[];
    return rows.map((row) => this.getApi(row.identifier)!);
  }

  /** Authorizes an application to get client-credentials tokens for an API (Auth0's "client grant"). */
  grantClientAccess(clientId: string, audience: string, scopes: string[]): void {
    this.db.prepare("INSERT OR REPLACE INTO client_grants VALUES (?,?,?)").run(clientId, audience, JSON.stringify(scopes));
  }

  /** The scopes an application was granted on an API for client credentials, or undefined without a grant. */
  getClientGrant(clientId: string, audience: string): string[] | undefined {
    const row = this.db.prepare("SELECT scopes FROM client_grants WHERE client_id = ? AND audience = ?").get(clientId, audience) as
      | { scopes: string }
      | undefined;
    return row ? JSON.parse(row.scopes) : undefined;
  }

  // ---- users ----

  /** Creates a database user with an `auth0|<24 hex>` id; fails with IDP_INVALID on a duplicate or weak password. */
  async addUser(input: NewUser): Promise<UserRecord> {
    const email = checkEmail(input.email.trim());
    if (!isStrongEnough(input.password)) {
      throw new GatehouseError(
        "GH_ERR_IDP_INVALID",
        "the password is too weak: use at least 8 characters with three of lower case, upper case, digits and special characters",
      );
    }
    if (this.findUserRow(email)) throw new GatehouseError("GH_ERR_IDP_INVALID", `a user with e-mail ${email} already exists`);
    const hash = await hashPassword(input.password);
    const now = new Date().toISOString();
    const id = `auth0|${randomBytes(12).toString("hex")}`;
    const profile = {
      name: input.name,
      nickname: input.nickname,
      picture: input.picture,
      givenName: input.givenName,
      familyName: input.familyName,
      emailVerified: false,
    };
    try {
      this.db
        .prepare("INSERT INTO users VALUES (?,?,?,?,?,?,?)")
        .run(id, email, hash, JSON.stringify(profile), JSON.stringify(input.permissions ?? []), now, now);
    } catch (cause) {
      // Lost a race with another writer (CLI vs. sign-up page) on the unique e-mail.
      throw new GatehouseError("GH_ERR_IDP_INVALID", `a user with e-mail ${email} already exists`, { cause });
    }
    return this.getUser(id)!;
  }

  /** The user with this id (`auth0|…`) or e-mail (case-insensitive), if any. */
  getUser(emailOrId: string): UserRecord | undefined {
    const row = this.findUserRow(emailOrId);
    return row ? toUser(row) : undefined;
  }

  /** All users, oldest first. */
  listUsers(): UserRecord[] {
    return (this.db.prepare("SELECT * FROM users ORDER BY created_at, id").all() as UserRow[]).map(toUser);
  }

  /** Deletes a user by e-mail or id; true when it existed. */
  removeUser(emailOrId: string): boolean {
    return this.db.prepare("DELETE FROM users WHERE id = ? OR email = ?").run(emailOrId, emailOrId).changes > 0;
  }

  /** Sets a new password for a user (by e-mail or id); the same strength rule as sign-up applies. */
  async setUserPassword(emailOrId: string, password: string): Promise<UserRecord> {
    const row = this.findUserRow(emailOrId);
    if (!row) throw new GatehouseError("GH_ERR_IDP_INVALID", `no user ${emailOrId}`);
    if (!isStrongEnough(password)) {
      throw new GatehouseError(
        "GH_ERR_IDP_INVALID",
        "the password is too weak: use at least 8 characters with three of lower case, upper case, digits and special characters",
      );
    }
    const hash = await hashPassword(password);
    this.db.prepare("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?").run(hash, new Date().toISOString(), row.id);
    return this.getUser(row.id)!;
  }

  /** Replaces a user's permissions (RBAC, e.g. `read:messages`). */
  setUserPermissions(emailOrId: string, permissions: string[]): UserRecord {
    const row = this.findUserRow(emailOrId);
    if (!row) throw new GatehouseError("GH_ERR_IDP_INVALID", `no user ${emailOrId}`);
    this.db
      .prepare("UPDATE users SET permissions = ?, updated_at = ? WHERE id = ?")
      .run(JSON.stringify(permissions), new Date().toISOString(), row.id);
    return this.getUser(row.id)!;
  }

  /** The user when e-mail and password match; undefined otherwise, in time that does not reveal which part was wrong. */
  async verifyCredentials(email: string, password: string): Promise<UserRecord | undefined> {
    const row = this.findUserRow(email.trim());
    if (!row || row.id === email.trim()) {
      await verifyAgainstDecoy(password);
      return undefined;
    }
    return (await verifyPassword(password, row.password_hash)) ? toUser(row) : undefined;
  }

  private findUserRow(emailOrId: string): UserRow | undefined {
    return this.db.prepare("SELECT * FROM users WHERE id = ? OR email = ?").get(emailOrId, emailOrId) as UserRow | undefined;
  }

  // ---- signing keys ----

  /** Published keys, current first; creates the first key on first use and prunes keys past retention. */
  async signingKeys(): Promise<SigningKeyRecord[]> {
    this.pruneRetiredKeys();
    if (!this.currentKeyRow()) await this.insertKey();
    return this.keyRows();
  }

  /** Makes a new current key; the previous one is retired but stays published while its tokens live. */
  async rotateKeys(): Promise<SigningKeyRecord> {
    const fresh = await generateSigningJwk(this.keyCommonName());
    const now = nowSeconds();
    this.db.transaction(() => {
      this.db.prepare("UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL").run(now);
      this.db.prepare("INSERT INTO signing_keys VALUES (?,?,?,NULL)").run(fresh.kid, JSON.stringify(fresh), now);
    })();
    return { kid: fresh.kid, jwk: fresh, createdAt: now };
  }

  /** A short fingerprint of the key set; changes whenever a key is added, retired or pruned. */
  signingKeysVersion(): string {
    const row = this.db
      .prepare("SELECT count(*) AS n, group_concat(kid || ':' || ifnull(retired_at, '')) AS ids FROM signing_keys")
      .get() as { n: number; ids: string | null };
    return `${row.n}/${row.ids ?? ""}`;
  }

  private keyRows(): SigningKeyRecord[] {
    const rows = this.db.prepare("SELECT * FROM signing_keys ORDER BY retired_at IS NOT NULL, created_at DESC").all() as {
      kid: string;
      jwk: string;
      created_at: number;
      retired_at: number | null;
    }[];
    return rows.map((row) => ({
      kid: row.kid,
      jwk: JSON.parse(row.jwk),
      createdAt: row.created_at,
      retiredAt: row.retired_at ?? undefined,
    }));
  }

  private currentKeyRow(): unknown {
    return this.db.prepare("SELECT kid FROM signing_keys WHERE retired_at IS NULL").get();
  }

  private async insertKey(): Promise<void> {
    const jwk = await generateSigningJwk(this.keyCommonName());
    // Another process may have created the first key meanwhile; keep theirs.
    this.db.transaction(() => {
      if (this.currentKeyRow()) return;
      this.db.prepare("INSERT INTO signing_keys VALUES (?,?,?,NULL)").run(jwk.kid, JSON.stringify(jwk), nowSeconds());
    })();
  }

  private pruneRetiredKeys(): void {
    const retention = Math.max(DEFAULT_KEY_RETENTION_SECONDS, ...this.listApis().map((api) => api.tokenLifetime + 7200));
    this.db.prepare("DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?").run(nowSeconds() - retention);
  }

  // Certificates name the tenant's host, as Auth0's do; the CLI rotating keys offline finds it here.
  private keyCommonName(): string {
    const issuer = this.setting("issuer");
    try {
      return issuer ? new URL(issuer).hostname : "gatehouse";
    } catch {
      return "gatehouse";
    }
  }

  // ---- settings ----

  /** Records the issuer this tenant plays (used for key certificates). */
  rememberIssuer(issuer: string): void {
    this.db.prepare("INSERT OR REPLACE INTO settings VALUES ('issuer', ?)").run(issuer);
  }

  /** Records where the tenant is served (the default picture URL points there). */
  rememberServedUrl(url: string): void {
    this.db.prepare("INSERT OR REPLACE INTO settings VALUES ('served-url', ?)").run(url);
  }

  /** Where the tenant was last served by a long-running instance, if it has run. */
  servedUrl(): string | undefined {
    return this.setting("served-url");
  }

  /** The issuer this tenant last played, if it has run. */
  rememberedIssuer(): string | undefined {
    return this.setting("issuer");
  }

  private setting(name: string): string | undefined {
    return (this.db.prepare("SELECT value FROM settings WHERE key = ?").get(name) as { value: string } | undefined)?.value;
  }

  /** A random secret created once and kept (e.g. cookie signing keys). */
  persistentSecret(name: string): string {
    const value = this.setting(name);
    if (value) return value;
    this.db.prepare("INSERT OR IGNORE INTO settings VALUES (?, ?)").run(name, randomBytes(32).toString("base64url"));
    return this.persistentSecret(name);
  }

  // ---- oidc-provider adapter rows ----

  /**
   * Rows of models whose id is a bearer secret are stored under a hash of the id, and without the id in
   * their payload: a copy of the database does not yield a usable code, token or session cookie. Every
   * lookup of these models by id hashes the id it is given (docs/identity-input.md explains which models
   * and why the others are not).
   */
  private rowId(model: string, id: string): string {
    return HASHED_MODELS.has(model) ? `${HASHED_ID_PREFIX}${createHash("sha256").update(id).digest("hex")}` : id;
  }

  /** Deletes secrets stored in clear by an older Gatehouse (their holders simply sign in again). */
  private forgetUnhashedSecrets(): void {
    const models = [...HASHED_MODELS];
    this.db
      .prepare(`DELETE FROM oidc_rows WHERE model IN (${models.map(() => "?").join(",")}) AND substr(id, 1, ?) <> ?`)
      .run(...models, HASHED_ID_PREFIX.length, HASHED_ID_PREFIX);
  }

  /** Stores one oidc-provider model instance. */
  upsertModel(model: string, id: string, payload: Record<string, unknown>, expiresIn: number | undefined): void {
    const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : null;
    const stored = HASHED_MODELS.has(model) ? withoutKey(payload, "jti") : payload;
    this.db
      .prepare("INSERT OR REPLACE INTO oidc_rows VALUES (?,?,?,?,?,?,?,NULL)")
      .run(
        model,
        this.rowId(model, id),
        JSON.stringify(stored),
        (payload.grantId as string | undefined) ?? null,
        (payload.userCode as string | undefined) ?? null,
        (payload.uid as string | undefined) ?? null,
        expiresAt,
      );
  }

  /**
   * Finds a model instance by a column (`id`, `uid` or `user_code`), ignoring expired rows. Found by id, a
   * hashed row gets its id back from the caller; found otherwise, it comes without one (see rowId).
   */
  findModel(model: string, column: "id" | "uid" | "user_code", value: string): Record<string, unknown> | undefined {
    const key = column === "id" ? this.rowId(model, value) : value;
    const row = this.db.prepare(`SELECT payload, expires_at FROM oidc_rows WHERE model = ? AND ${column} = ?`).get(model, key) as
      | OidcRow
      | undefined;
    if (!row || (row.expires_at !== null && row.expires_at <= Date.now())) return undefined;
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    if (column === "id" && HASHED_MODELS.has(model)) payload.jti = value;
    return payload;
  }

  /** Marks a single-use model instance (code, rotated refresh token) as consumed. */
  consumeModel(model: string, id: string): void {
    const consumed = nowSeconds();
    this.db
      .prepare("UPDATE oidc_rows SET consumed_at = ?, payload = json_set(payload, '$.consumed', ?) WHERE model = ? AND id = ?")
      .run(consumed, consumed, model, this.rowId(model, id));
  }

  /** Deletes one model instance. */
  destroyModel(model: string, id: string): void {
    this.db.prepare("DELETE FROM oidc_rows WHERE model = ? AND id = ?").run(model, this.rowId(model, id));
  }

  /** Deletes every instance of a model issued under a grant. */
  revokeModelsByGrant(model: string, grantId: string): void {
    this.db.prepare("DELETE FROM oidc_rows WHERE model = ? AND grant_id = ?").run(model, grantId);
  }

  /** Drops expired rows. */
  pruneExpiredModels(): void {
    this.db.prepare("DELETE FROM oidc_rows WHERE expires_at IS NOT NULL AND expires_at <= ?").run(Date.now());
  }
}
