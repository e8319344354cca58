import { createHash } from "node:crypto";
import type { ApiManifest, Manifest } from "../manifest/manifest.js";
import { type TokenValues, resolveTokens } from "../manifest/tokens.js";
import type { Authorizer } from "../auth/types.js";
import type { FunctionBuild } from "../build/function-bundler.js";
import { GatehouseError } from "../errors.js";
import { type Gateway, createGateway } from "../gateway/gateway.js";
import type { Logger } from "../log.js";
import { FunctionRuntime } from "../runtime/function-runtime.js";
import { resolveOutputs } from "./resolve-outputs.js";
import { type StageTableOptions, StageTables } from "./stage-tables.js";
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
  readonly runtime: FunctionRuntime;
  private readonly gateways = new Map<string, Gateway>();
  private readonly urls = new Map<string, string>();
  private readonly tenants: StageTenants | null;
  private readonly tables: StageTables | null;
  private authIssuers: Record<string, string> = {};
  private manifest: Manifest | null = null;
  private deployed = new Set<string>();

  constructor(private readonly options: StageServerOptions) {
    this.runtime = new FunctionRuntime({ logger: options.logger, maxWorkersPerFunction: options.maxWorkersPerFunction });
    this.tenants = options.tenants ? new StageTenants({ ...options.tenants, logger: options.logger }) : null;
    this.tables = options.tables ? new StageTables({ ...options.tables, logger: options.logger, invoker: this.runtime }) : null;
  }

  /** Serves `manifest` with the handlers in `build`; `ports` are the stage's fixed ports, if it has any. */
  async apply(manifest: Manifest, build: FunctionBuild, ports: StagePorts = {}): Promise<void> {
    if (manifest.auths.length > 0 && !this.tenants) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", "This backend cannot serve Auth tenants.");
    }
    if (manifest.tables.length > 0 && !this.tables) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", "This backend cannot serve tables.");
    }
    this.authIssuers = (await this.tenants?.apply(manifest.auths, ports)) ?? {};
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
    await this.deployFunctions(manifest, build);
    for (const api of manifest.apis) {
      const port = pending.get(api.id);
      if (port !== undefined) await this.listen(this.withIssuers(api), port);
      else this.gateways.get(api.id)?.update(this.withIssuers(api));
    }
    for (const id of this.deployed) if (!(id in manifest.functions)) this.runtime.remove(id);
    this.deployed = new Set(Object.keys(manifest.functions));
    this.manifest = manifest;
  }

  /** Each Api's base URL, keyed by manifest id. */
  endpoints(): Record<string, string> {
    return Object.fromEntries(this.urls);
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
    // Before the runtime: no write may come in after the functions are gone.
    await this.tables?.close();
    await this.runtime.close();
    await this.tenants?.close();
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
      this.runtime.deploy({
        id: fn.id,
        functionName: fn.functionName,
        handler: fn.handler,
        bundlePath: built.bundlePath,
        exportName: fn.exportName,
        environment,
        region: manifest.app.region,
        timeoutMs: fn.timeout * 1000,
        memoryMb: fn.memorySize,
        version: `${built.version}-${createHash("sha256").update(settings).digest("hex").slice(0, 8)}`,
      });
      warmups.push(this.runtime.prewarm(fn.id));
    }
    await Promise.all(warmups);
  }

  /** The first port from basePort up that no gateway of this stage holds (0 when basePort is 0). */
  private nextPort(): number {
    if (this.options.basePort === 0) return 0;
    const held = new Set([...this.urls.values()].map((url) => Number(new URL(url).port)));
    let port = this.options.basePort;
    while (held.has(port)) port++;
    return port;
  }

  private urlFor(port: number): string {
    const host = this.options.host ?? "127.0.0.1";
    return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  }

  private tokenValues(): TokenValues {
    return { apiUrls: Object.fromEntries(this.urls), authIssuers: this.authIssuers };
  }

  /** The Api with authorizer issuers that name a stage tenant (`auth.issuer`) resolved to its URL. */
  private withIssuers(api: ApiManifest): ApiManifest {
    const values = this.tokenValues();
    const authorizers = Object.fromEntries(
      Object.entries(api.authorizers).map(([id, authorizer]) => [id, { ...authorizer, issuer: resolveTokens(authorizer.issuer, values) }]),
    );
    return { ...api, authorizers };
  }

  private async listen(api: ApiManifest, port: number): Promise<void> {
    const gateway = createGateway({ api, invoker: this.runtime, authorizer: this.options.authorizer, logger: this.options.logger });
    try {
      const { url } = await gateway.listen(port, this.options.host ?? "127.0.0.1");
      this.urls.set(api.id, url);
      this.gateways.set(api.id, gateway);
    } catch (err) {
      this.urls.delete(api.id);
      await gateway.close().catch(() => {});
      throw err;
    }
  }
}
