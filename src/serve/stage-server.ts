import { createHash } from "node:crypto";
import type { ApiManifest, Manifest } from "../app/manifest.js";
import { type TokenValues, resolveTokens } from "../app/tokens.js";
import type { Authorizer } from "../auth/types.js";
import type { FunctionBuild } from "../build/function-bundler.js";
import { GatehouseError } from "../errors.js";
import { type Gateway, createGateway } from "../gateway/gateway.js";
import type { Logger } from "../log.js";
import { FunctionRuntime } from "../runtime/function-runtime.js";
import { resolveOutputs } from "./resolve-outputs.js";
import { type StageTenantOptions, StageTenants } from "./stage-tenants.js";

export interface StageServerOptions {
  logger: Logger;
  authorizer: Authorizer;
  /** Port of the first Api; each further Api takes the next one. 0 picks free ports. */
  basePort: number;
  /** Fixed ports by Api manifest id (a deployed stage keeps its ports); they win over basePort. */
  ports?: Record<string, number>;
  host?: string;
  /** Where the stage's own identity tenants (`Auth`) live and listen; without it the stage may declare none. */
  tenants?: Omit<StageTenantOptions, "logger">;
  maxWorkersPerFunction?: number;
}

/**
 * Serves one stage of an app from its manifest and built handlers: one gateway per Api, one runtime for all
 * functions. `apply` moves a running stage to a new manifest without dropping requests.
 */
export class StageServer {
  readonly runtime: FunctionRuntime;
  private readonly gateways = new Map<string, Gateway>();
  private readonly urls = new Map<string, string>();
  private readonly ports = new Map<string, number>();
  private readonly tenants: StageTenants | null;
  private authIssuers: Record<string, string> = {};
  private manifest: Manifest | null = null;
  private deployed = new Set<string>();

  constructor(private readonly options: StageServerOptions) {
    this.runtime = new FunctionRuntime({ logger: options.logger, maxWorkersPerFunction: options.maxWorkersPerFunction });
    this.tenants = options.tenants ? new StageTenants({ ...options.tenants, logger: options.logger }) : null;
  }

  /** Serves `manifest` with the handlers in `build`: new Apis start listening, changed functions swap in. */
  async apply(manifest: Manifest, build: FunctionBuild): Promise<void> {
    if (manifest.auths.length > 0 && !this.tenants) {
      throw new GatehouseError("CONSTRUCT_INVALID", "This backend cannot serve Auth tenants.");
    }
    this.authIssuers = (await this.tenants?.apply(manifest.auths)) ?? {};
    for (const [index, api] of manifest.apis.entries()) {
      if (!this.gateways.has(api.id)) await this.startGateway(this.withIssuers(api), index);
    }
    const values = this.tokenValues();
    const warmups: Promise<void>[] = [];
    for (const fn of Object.values(manifest.functions)) {
      const built = build.functions[fn.id];
      const environment = Object.fromEntries(Object.entries(fn.environment).map(([key, value]) => [key, resolveTokens(value, values)]));
      const settings = JSON.stringify([environment, fn.timeout, fn.memorySize, fn.exportName]);
      const version = `${built.version}-${createHash("sha256").update(settings).digest("hex").slice(0, 8)}`;
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
        version,
      });
      warmups.push(this.runtime.prewarm(fn.id));
    }
    await Promise.all(warmups);
    for (const api of manifest.apis) this.gateways.get(api.id)?.update(this.withIssuers(api));
    const live = new Set(manifest.apis.map((api) => api.id));
    for (const [id, gateway] of this.gateways) {
      if (live.has(id)) continue;
      await gateway.close();
      this.gateways.delete(id);
      this.urls.delete(id);
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

  async close(): Promise<void> {
    await Promise.all([...this.gateways.values()].map((gateway) => gateway.close()));
    this.gateways.clear();
    await this.runtime.close();
    await this.tenants?.close();
  }

  /** The stage's own identity tenants: issuer, URL and applications. */
  tenantList(): ReturnType<StageTenants["describe"]> {
    return this.tenants?.describe() ?? [];
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

  private async startGateway(api: ApiManifest, index: number): Promise<void> {
    const gateway = createGateway({ api, invoker: this.runtime, authorizer: this.options.authorizer, logger: this.options.logger });
    const wanted = this.ports.get(api.id) ?? this.options.ports?.[api.id] ?? (this.options.basePort === 0 ? 0 : this.options.basePort + index);
    try {
      const { port, url } = await gateway.listen(wanted, this.options.host ?? "127.0.0.1");
      this.ports.set(api.id, port);
      this.urls.set(api.id, url);
      this.gateways.set(api.id, gateway);
    } catch (err) {
      await gateway.close().catch(() => {});
      if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
        throw new GatehouseError("PORT_IN_USE", `Port ${wanted} (Api "${api.constructId}") is in use. Fix: pass --port with a free port, e.g. --port ${wanted + 10}.`);
      }
      throw err;
    }
  }
}
