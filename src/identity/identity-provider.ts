import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Provider } from "./oidc-engine.js";
import { GatehouseError } from "../errors.js";
import { consoleLogger, type Logger } from "../log.js";
import { apiTokenUserinfo, bearerJwt } from "./api-token-userinfo.js";
import { authorizeDialect, wellKnownDialect } from "./authorize-dialect.js";
import { renderAvatar } from "./avatar.js";
import { LoginThrottle } from "./login-throttle.js";
import { auth0Logout, oidcLogout } from "./logout-endpoints.js";
import { registerPasswordGrants } from "./password-grant.js";
import { providerConfiguration } from "./provider-configuration.js";
import { dbConnectionsSignup } from "./signup-endpoint.js";
import { cognitoInitiateAuth, isCognitoApiRequest } from "./cognito-initiate-auth.js";
import { isCognitoIssuer } from "./cognito-tokens.js";
import { type TenantRuntime, tenantNameOf } from "./tenant-runtime.js";
import { type ApplicationRecord, TenantStore, WALKTHROUGH_CALLBACK } from "./tenant-store.js";

export { tenantDataDir, WALKTHROUGH_CALLBACK } from "./tenant-store.js";
import { grantErrors, tokenEndpointDialect } from "./token-endpoint-dialect.js";
import { universalLogin } from "./universal-login.js";
import { sendJson } from "./send-response.js";


/** An application the caller wants to exist in the tenant (e.g. one per `jwtAudience` of the app). */
export interface ApplicationSeed {
  clientId: string;
  name?: string;
  callbackUrls?: string[];
  logoutUrls?: string[];
  webOrigins?: string[];
}

/** Options of {@link startIdentityProvider}. */
export interface IdentityProviderOptions {
  /** The issuer to impersonate, verbatim (e.g. `https://myorg.us.auth0.com/`); default: the tenant's own URL. */
  issuer?: string;
  /** Folder holding `identity.sqlite`; one folder per tenant (see {@link tenantDataDir}). */
  dataDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  applications?: ApplicationSeed[];
  logger?: Logger;
  /** OIDC-conformant error statuses and numeric `updated_at` instead of Auth0's behaviour. */
  strictOidc?: boolean;
  /** Consecutive failed logins per account and IP before it is blocked (Auth0: 10). */
  maxFailedLogins?: number;
  /**
   * A short-lived instance (e.g. `idp token`'s): links in its tokens point where the tenant was last served
   * for good, not at this instance's port, which closes in a moment.
   */
  shortLived?: boolean;
}

/** A running tenant. */
export interface RunningIdentityProvider {
  /** Where it is served, with a trailing slash: `http://127.0.0.1:PORT/`. */
  url: string;
  /** The `iss` of every token it issues. */
  issuer: string;
  store: TenantStore;
  /** The applications passed in, as stored (with their secrets). */
  applications: ApplicationRecord[];
  /** Rotates the signing key now; returns the new kid. The old key stays published while its tokens live. */
  rotateKeys(): Promise<string>;
  close(): Promise<void>;
}

async function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === "EADDRINUSE"
          ? new GatehouseError("GH_ERR_PORT_IN_USE", `identity provider port ${port} on ${host} is in use. Fix: stop the other server, or pick another port with --idp-port (0 picks a free one).`)
          : err,
      );
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Starts an Auth0-compatible OpenID Connect provider (oidc-provider underneath) on loopback HTTP, issuing
 * tokens whose `iss` is exactly `options.issuer`. State lives in `<dataDir>/identity.sqlite`.
 */
export async function startIdentityProvider(options: IdentityProviderOptions): Promise<RunningIdentityProvider> {
  const logger = options.logger ?? consoleLogger;
  const host = options.host ?? "127.0.0.1";
  const store = new TenantStore(options.dataDir);
  const applications = (options.applications ?? []).map((seed) =>
    store.upsertApplication({
      clientId: seed.clientId,
      name: seed.name,
      callbacks: [WALKTHROUGH_CALLBACK, ...(seed.callbackUrls ?? [])],
      logoutUrls: seed.logoutUrls,
      webOrigins: seed.webOrigins,
    }),
  );

  let ready: () => void = () => {};
  const whenReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  let provider: any;
  let providerHandler: (req: IncomingMessage, res: ServerResponse) => void;
  let keysVersion = "";
  let rebuilding: Promise<void> | undefined;
  let tenant: TenantRuntime;

  async function buildProvider(): Promise<void> {
    const keys = await store.signingKeys();
    keysVersion = store.signingKeysVersion();
    const next = new Provider(tenant.issuer, providerConfiguration(tenant, keys));
    // Auth0 always puts `sid` in ID tokens; oidc-provider only does for back-channel-logout clients.
    next.Client.prototype.includeSid = () => true;
    next.use(wellKnownDialect());
    next.use(authorizeDialect());
    next.use(tokenEndpointDialect(tenant));
    next.on("grant.error", (ctx: object, err: Error) => grantErrors.set(ctx, err));
    next.on("server_error", (_ctx: unknown, err: Error) => logger.error(`identity: ${err.stack ?? err.message}`));
    registerPasswordGrants(next, tenant);
    provider = next;
    providerHandler = next.callback();
  }

  async function ensureCurrentKeys(): Promise<void> {
    // Keys rotated by another process (the CLI) are picked up on the next request.
    if (store.signingKeysVersion() === keysVersion) return;
    rebuilding ??= buildProvider().finally(() => {
      rebuilding = undefined;
    });
    await rebuilding;
  }

  let loginPages: ReturnType<typeof universalLogin>;
  // A pool's Cognito URL: the tenant also answers Cognito's sign-in API with Cognito-shaped tokens.
  const cognito = isCognitoIssuer(options.issuer);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await whenReady;
    await ensureCurrentKeys();
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (cognito && isCognitoApiRequest(req, path)) return cognitoInitiateAuth(tenant, req, res);
    if (path.startsWith("/u/") && (await loginPages(req, res, path))) return;
    if (path === "/v2/logout" && req.method === "GET") return auth0Logout(tenant, provider, req, res, url);
    if (path === "/oidc/logout" && (req.method === "GET" || req.method === "POST")) return oidcLogout(tenant, provider, req, res, url);
    if (path === "/dbconnections/signup" && req.method === "POST") return dbConnectionsSignup(tenant, req, res);
    const apiToken = path === "/userinfo" ? bearerJwt(req) : undefined;
    if (apiToken && (req.method === "GET" || req.method === "POST")) return apiTokenUserinfo(tenant, apiToken, res);
    const avatar = /^\/avatars\/([a-z0-9]{1,2})\.svg$/.exec(path);
    if (avatar && req.method === "GET") {
      res.writeHead(200, { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400" }).end(renderAvatar(avatar[1]));
      return;
    }
    providerHandler(req, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (res.headersSent) return void res.destroy();
      if (err.message === "request body too large") {
        return sendJson(res, 413, { error: "invalid_request", error_description: "The request body is too large." });
      }
      logger.error(`identity: ${req.method} ${req.url}: ${err.stack ?? err.message}`);
      sendJson(res, 500, { error: "server_error", error_description: "Internal error" });
    });
  });
  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;

  const publicUrl = (options.shortLived ? store.servedUrl() : undefined) ?? url;
  if (!options.shortLived) store.rememberServedUrl(url);
  tenant = {
    issuer: options.issuer ?? url,
    url,
    publicUrl,
    tenantName: tenantNameOf(options.issuer ?? url),
    store,
    throttle: new LoginThrottle(options.maxFailedLogins ?? 10),
    logger,
    strictOidc: options.strictOidc ?? false,
    csrfSecret: store.persistentSecret("csrf-key"),
  };
  store.rememberIssuer(tenant.issuer);
  loginPages = universalLogin(tenant, () => provider);
  try {
    store.pruneExpiredModels();
    await buildProvider();
  } catch (err) {
    server.close();
    store.close();
    throw err;
  }
  ready();
  const pruner = setInterval(() => store.pruneExpiredModels(), 3600_000);
  pruner.unref();

  return {
    url,
    issuer: tenant.issuer,
    store,
    applications,
    async rotateKeys() {
      const key = await store.rotateKeys();
      await ensureCurrentKeys();
      return key.kid;
    },
    async close() {
      clearInterval(pruner);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}
