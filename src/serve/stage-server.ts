import { createHash } from "node:crypto";
import type { ApiManifest, Manifest } from "../manifest/manifest.js";
import { type TokenValues, resolveTokens } from "../manifest/tokens.js";
import { JwtAuthorizer } from "../auth/jwt-authorizer.js";
import type { LocalCredential } from "../auth/sigv4-verifier.js";
import type { Authorizer } from "../auth/types.js";
import type { FunctionBuild } from "../build/function-bundler.js";
import { GatehouseError, isGatehouseError } from "../errors.js";
import type { AccessLogStyle } from "../gateway/access-log.js";
import { type Gateway, createGateway } from "../gateway/gateway.js";
import type { RequestObserver } from "../gateway/request-record.js";
import type { Logger } from "../log.js";
import { FunctionRuntime, type FunctionRuntimeOptions } from "../runtime/function-runtime.js";
import { NotLocalRuntime } from "../runtime/not-local-runtime.js";
import { RuntimeDispatcher } from "../runtime/runtime-dispatcher.js";
import { runtimeFamily } from "../manifest/runtime-family.js";
import type { Clock } from "./clock.js";
import { EventSources } from "./event-sources.js";
import { StaticSiteServer } from "./static-site-server.js";
import { resolveOutputs } from "./resolve-outputs.js";
import { type StageTableOptions, StageTables } from "./stage-tables.js";
import { ImpersonatedIssuers } from "./impersonated-issuers.js";
import { type StageTenantOptions, StageTenants } from "./stage-tenants.js";

export interface StageServerOptions {
  logger: Logger;
  authorizer: Authorizer;
  /** Port of the first Api; each further Api takes the next free one. 0 picks free ports. */
  basePort: number;
  host?: string;
  /** Where the stage's own identity tenants (`Auth`) live and listen; without it the stage may declare none. */
  tenants?: Omit<StageTenantOptions, "logger" | "ports">;
  /** Where the stage's tables keep their data; without it the stage may declare none. */
  tables?: StageTableOptions;
  maxWorkersPerFunction?: number;
  /** The key pairs AWS_IAM routes accept. */
  iamCredentials?: (accessKeyId: string) => LocalCredential | undefined;
  /** Clock of the authorizer caches and the SigV4 window (tests inject one). */
  now?: () => number;
  /** The clock crons run on (tests advance their own). */
  clock?: Clock;
  /** Every function log line with its request id (see FunctionRuntimeOptions.onLog). */
  onLog?: FunctionRuntimeOptions["onLog"];
  /** Each gateway's access log (default: one plain line per request); false silences it. */
  accessLog?: AccessLogStyle | false;
  /** Receives a record of every request any gateway answers (the dev console). */
  onRequest?: RequestObserver;
  /** The command-line flag that picks the Api ports (dev: `--port`), named when a port is taken. */
  portFlag?: string;
}

/**
 * Fixed ports of a deployed stage, keyed by Api manifest id and `auth:<Auth manifest id>`; they win over
 * basePort, so a stage keeps its endpoints and issuer URLs across redeploys and restarts.
 */
export type StagePorts = Record<string, number>;

/**
 * Serves one stage of an app from its manifest and built handlers: one gateway per Api, one runtime for all
 * functions, the stage's own identity tenants. `apply` moves a running stage to a new manifest: functions
 * swap in before routes point at them, and a gateway on a known port listens only once its functions are
 * deployed.
 */
export class StageServer {
  /** Runs the Node.js functions. */
  readonly runtime: FunctionRuntime;
  /** Topics, queues and crons of the stage, invoking its functions in process. */
  readonly events: EventSources;
  /** Routes every invocation to the runtime its function was deployed to (Node.js, or not run locally). */
  private readonly invoker = new RuntimeDispatcher();
  private readonly notLocal: NotLocalRuntime;
  private readonly sites = new Map<string, { server: StaticSiteServer; url: string }>();
  private readonly gateways = new Map<string, Gateway>();
  private readonly urls = new Map<string, string>();
  private readonly tenants: StageTenants | null;
  private readonly tables: StageTables | null;
  private authIssuers: Record<string, string> = {};
  private manifest: Manifest | null = null;
  private deployed = new Set<string>();
  private region = "us-east-1";
  /** A stage deployed with `--idp embedded` runs its own tenants and an authorizer that trusts them. */
  private impersonation: { issuers: ImpersonatedIssuers; authorizer: JwtAuthorizer } | null = null;
  /** What the gateways ask: the stage's own authorizer while it impersonates, else the one given. */
  private readonly authorizer: Authorizer = {
    authorize: (request) => (this.impersonation?.authorizer ?? this.options.authorizer).authorize(request),
  };

  constructor(private readonly options: StageServerOptions) {
    this.runtime = new FunctionRuntime({
      logger: options.logger,
      maxWorkersPerFunction: options.maxWorkersPerFunction,
      onLog: options.onLog,
    });
    this.notLocal = new NotLocalRuntime(options.logger);
    this.events = new EventSources({ invoker: this.invoker, logger: options.logger, clock: options.clock });
    this.tenants = options.tenants ? new StageTenants({ ...options.tenants, logger: options.logger }) : null;
    this.tables = options.tables ? new StageTables({ ...options.tables, logger: options.logger, invoker: this.runtime }) : null;
  }

  /** Serves `manifest` with the handlers in `build`; `ports` are the stage's fixed ports, if it has any. */
  async apply(manifest: Manifest, build: FunctionBuild, ports: StagePorts = {}): Promise<void> {
    if (manifest.auths.length > 0 && !this.tenants) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", "This backend cannot serve Auth tenants.");
    }
    this.region = manifest.app.region;
    if (manifest.tables.length > 0 && !this.tables) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", "This backend cannot serve tables.");
    }
    this.authIssuers = (await this.tenants?.apply(manifest.auths, ports)) ?? {};
    await this.applyImpersonation(manifest);
    // Tables exist before any function that may use them is deployed; their endpoint goes in the environment.
    await this.tables?.apply(manifest.tables, manifest.app.region);
    const live = new Set(manifest.apis.map((api) => api.id));
    for (const [id, gateway] of this.gateways) {
      if (live.has(id)) continue;
      await gateway.close();
      this.gateways.delete(id);
      this.urls.delete(id);
    }
    // Function environments may name Api urls, so every url must be known before functions deploy: a
    // chosen port gives it at once; a free port (0) only once its gateway listens.
    const pending = new Map<string, number>();
    for (const api of manifest.apis) {
      if (this.gateways.has(api.id)) continue;
      const port = ports[api.id] ?? this.nextPort();
      if (port === 0) await this.listen(this.withIssuers(api), 0);
      else {
        pending.set(api.id, port);
        this.urls.set(api.id, this.urlFor(port));
      }
    }
    await this.applySites(manifest, ports);
    await this.deployFunctions(manifest, build);
    for (const api of manifest.apis) {
      const port = pending.get(api.id);
      if (port !== undefined) await this.listen(this.withIssuers(api), port);
      else this.gateways.get(api.id)?.update(this.withIssuers(api));
    }
    for (const id of this.deployed) if (!(id in manifest.functions)) this.invoker.remove(id);
    this.deployed = new Set(Object.keys(manifest.functions));
    this.manifest = manifest;
    this.events.apply(manifest);
  }

  /** Each Api's base URL, keyed by manifest id. */
  endpoints(): Record<string, string> {
    return Object.fromEntries(this.urls);
  }

  /** Each served StaticSite's URL, keyed by manifest id. */
  siteUrls(): Record<string, string> {
    return Object.fromEntries([...this.sites].map(([id, site]) => [id, site.url]));
  }

  /** `text` with the tokens this stage can resolve (Api, site and issuer URLs) replaced by their values. */
  resolve(text: string): string {
    return resolveTokens(text, this.tokenValues());
  }

  /** The stage's outputs with tokens resolved, keyed by stack name. */
  outputs(): Record<string, Record<string, string>> {
    return this.manifest ? resolveOutputs(this.manifest, this.tokenValues()) : {};
  }

  /** The stage's own identity tenants: issuer, URL and applications. */
  tenantList(): ReturnType<StageTenants["describe"]> {
    return this.tenants?.describe() ?? [];
  }

  /** The stage's local DynamoDB endpoint, when it has tables. */
  tablesEndpoint(): string | null {
    return this.tables?.endpoint() ?? null;
  }

  async close(): Promise<void> {
    await Promise.all([...this.gateways.values()].map((gateway) => gateway.close()));
    this.gateways.clear();
    this.urls.clear();
    this.events.close();
    await Promise.all([...this.sites.values()].map((site) => site.server.close()));
    this.sites.clear();
    // Before the runtime: no write may come in after the functions are gone.
    await this.tables?.close();
    await this.runtime.close();
    await this.notLocal.close();
    await this.tenants?.close();
    await this.stopImpersonation();
  }

  /** The tenants impersonating the stage's issuers, when it was deployed with `--idp embedded`. */
  impersonatedTenants(): Array<{ issuer: string; url: string }> {
    return this.impersonation?.issuers.describe() ?? [];
  }

  private async applyImpersonation(manifest: Manifest): Promise<void> {
    if (manifest.identityProvider !== "embedded") return this.stopImpersonation();
    if (!this.impersonation) {
      const issuers = new ImpersonatedIssuers(this.options.logger);
      this.impersonation = { issuers, authorizer: new JwtAuthorizer({ issuerOverrides: (issuer) => issuers.urlFor(issuer) }) };
    }
    await this.impersonation.issuers.apply(manifest);
  }

  private async stopImpersonation(): Promise<void> {
    const current = this.impersonation;
    this.impersonation = null;
    await current?.issuers.close();
    await current?.authorizer.close?.();
  }

  private async deployFunctions(manifest: Manifest, build: FunctionBuild): Promise<void> {
    const values = this.tokenValues();
    const warmups: Promise<void>[] = [];
    const tablesEnvironment = this.tables?.environment() ?? {};
    for (const fn of Object.values(manifest.functions)) {
      const built = build.functions[fn.id];
      const own = Object.fromEntries(Object.entries(fn.environment).map(([key, value]) => [key, resolveTokens(value, values)]));
      const environment = { ...tablesEnvironment, ...own };
      const settings = JSON.stringify([environment, fn.timeout, fn.memorySize, fn.exportName]);
      // Functions of runtimes not run here (docs/sst-apps.md, "Other runtimes") have no bundle.
      const runtime = runtimeFamily(fn.runtime) === "node" && built ? this.runtime : this.notLocal;
      const spec = {
        id: fn.id,
        functionName: fn.functionName,
        handler: fn.handler,
        bundlePath: built?.bundlePath ?? fn.entry,
        exportName: fn.exportName,
        environment,
        region: manifest.app.region,
        timeoutMs: fn.timeout * 1000,
        memoryMb: fn.memorySize,
        version: `${built?.version ?? "none"}-${createHash("sha256").update(settings).digest("hex").slice(0, 8)}`,
        runtime: fn.runtime,
        // Source-mapped stack frames are logged relative to the app (src/private.js:5), in dev and on the host.
        appRoot: manifest.app.root,
      };
      this.invoker.assign(fn.id, runtime);
      runtime.deploy(spec);
      warmups.push(runtime.prewarm(fn.id));
    }
    await Promise.all(warmups);
  }

  /** Serves each built StaticSite from its folder on a port of its own; sites no longer declared stop. */
  private async applySites(manifest: Manifest, ports: StagePorts): Promise<void> {
    const built = manifest.staticSites.filter((site) => site.built);
    const live = new Map(built.map((site) => [site.id, site]));
    for (const [id, site] of this.sites) {
      if (live.has(id)) continue;
      await site.server.close();
      this.sites.delete(id);
    }
    for (const site of built) {
      const running = this.sites.get(site.id);
      if (running) {
        running.server.update(site);
        continue;
      }
      const server = new StaticSiteServer(site);
      const url = await server.listen(ports[site.id] ?? this.nextPort(), this.options.host ?? "127.0.0.1");
      this.sites.set(site.id, { server, url });
      this.options.logger.info(`${site.kind} "${site.constructId}" served from ${site.root} at ${url}`);
    }
  }

  /** The first port from basePort up that no gateway or site of this stage holds (0 when basePort is 0). */
  private nextPort(): number {
    if (this.options.basePort === 0) return 0;
    const held = new Set([...this.urls.values(), ...[...this.sites.values()].map((site) => site.url)].map((url) => Number(new URL(url).port)));
    let port = this.options.basePort;
    while (held.has(port)) port++;
    return port;
  }

  private urlFor(port: number): string {
    const host = this.options.host ?? "127.0.0.1";
    return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  }

  private tokenValues(): TokenValues {
    return { apiUrls: Object.fromEntries(this.urls), authIssuers: this.authIssuers, siteUrls: this.siteUrls() };
  }

  /** The Api with authorizer issuers that name a stage tenant (`auth.issuer`) resolved to its URL. */
  private withIssuers(api: ApiManifest): ApiManifest {
    const values = this.tokenValues();
    const authorizers = Object.fromEntries(
      Object.entries(api.authorizers).map(([id, authorizer]) => [
        id,
        authorizer.type === "JWT" ? { ...authorizer, issuer: resolveTokens(authorizer.issuer, values) } : authorizer,
      ]),
    );
    return { ...api, authorizers };
  }

  private async listen(api: ApiManifest, port: number): Promise<void> {
    const gateway = createGateway({
      api,
      invoker: this.invoker,
      authorizer: this.authorizer,
      logger: this.options.logger,
      region: this.region,
      iamCredentials: this.options.iamCredentials,
      now: this.options.now,
      accessLog: this.options.accessLog,
      onRequest: this.options.onRequest,
    });
    try {
      const { url } = await gateway.listen(port, this.options.host ?? "127.0.0.1");
      this.urls.set(api.id, url);
      this.gateways.set(api.id, gateway);
    } catch (err) {
      this.urls.delete(api.id);
      await gateway.close().catch(() => {});
      if (isGatehouseError(err, "GH_ERR_PORT_IN_USE") && this.options.portFlag) {
        const host = this.options.host ?? "127.0.0.1";
        throw new GatehouseError(
          "GH_ERR_PORT_IN_USE",
          `port ${port} on ${host} (Api ${api.id}) is in use. Fix: stop the other server, or pick another port with ${this.options.portFlag} (0 picks a free one).`,
        );
      }
      throw err;
    }
  }
}
