import { join } from "node:path";
import { type AppConfig, loadConfig } from "../app/load-config.js";
import type { Manifest } from "../manifest/manifest.js";
import { stageAuthDir, stageBuildDir, stageStateDir, stageTablesDir } from "../app/stage-paths.js";
import { synthApp } from "../app/synth-app.js";
import { JwtAuthorizer } from "../auth/jwt-authorizer.js";
import { type FunctionBuild, FunctionBundler } from "../build/function-bundler.js";
import { watchApp } from "../build/watch-app.js";
import { isGatehouseError } from "../errors.js";
import type { Logger } from "../log.js";
import type { ImpersonatedTenant } from "./describe-tenant.js";
import { issuersToImpersonate } from "./issuers-to-impersonate.js";
import { StageServer } from "../serve/stage-server.js";
import { preloadLocalDynamoDb } from "../serve/stage-tables.js";

export interface DevOptions {
  cwd: string;
  stage?: string;
  /** Port of the first Api (default 4000); 0 picks free ports. */
  port?: number;
  /** Port of the first impersonated issuer (default 4100); 0 picks free ports. */
  idpPort?: number;
  /** "embedded" impersonates non-loopback issuers; "remote" contacts them as they are. */
  idp?: "embedded" | "remote";
  watch?: boolean;
  logger: Logger;
}

export interface DevSession {
  config: AppConfig;
  manifest(): Manifest;
  /** Each Api's base URL, keyed by manifest id. */
  endpoints(): Record<string, string>;
  outputs(): Record<string, Record<string, string>>;
  /** Embedded providers standing in for the issuers the app names. */
  tenants: ImpersonatedTenant[];
  /** The stage's own identity tenants (declared with Auth). */
  stageTenants(): ReturnType<StageServer["tenantList"]>;
  /** The local DynamoDB endpoint, when the app has tables. */
  tablesEndpoint(): string | null;
  /** Resolves after the next reload attempt finishes (tests use it to wait for a save to apply). */
  nextReload(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_DEV_PORT = 4000;
export const DEFAULT_IDP_PORT = 4100;

/** `gatehouse dev`: builds the app, serves it as API Gateway + Lambda would, and applies every save. */
export async function startDev(options: DevOptions): Promise<DevSession> {
  const { logger } = options;
  const config = loadConfig(options.cwd, { stage: options.stage });
  let { manifest, stackInputs } = await synthApp(config);
  for (const notice of manifest.notices) logger.warn(`note: ${notice}`);
  // The local DynamoDB server's code loads while the handlers bundle.
  if (manifest.tables.length > 0) preloadLocalDynamoDb();
  const bundler = new FunctionBundler({ root: config.root, outDir: join(stageBuildDir(config), "functions") });
  const idpPort = options.idpPort ?? DEFAULT_IDP_PORT;
  let tenants: ImpersonatedTenant[] = [];
  let server: StageServer | undefined;
  let authorizer: JwtAuthorizer | undefined;
  let build: FunctionBuild;
  try {
    build = await bundler.build(Object.values(manifest.functions));
    // The identity provider (oidc-provider, SQLite) loads only for apps that name an issuer to impersonate.
    if (options.idp !== "remote") {
      tenants = await (await import("./impersonate-issuers.js")).startImpersonation(manifest, {
        stateDir: stageStateDir(config),
        basePort: idpPort,
        logger,
      });
    }
    const overrides = new Map(tenants.map((tenant) => [tenant.issuer, tenant.url]));
    authorizer = new JwtAuthorizer({ issuerOverrides: (issuer) => overrides.get(issuer) });
    server = new StageServer({
      logger,
      authorizer,
      basePort: options.port ?? DEFAULT_DEV_PORT,
      // The stage's own tenants (Auth) listen after the impersonated ones.
      tenants: { dataDir: stageAuthDir(config), basePort: idpPort === 0 ? 0 : idpPort + 50 },
      tables: { dataDir: stageTablesDir(config) },
    });
    await server.apply(manifest, build);
  } catch (err) {
    // Nothing may keep the process alive after a failed start: esbuild's service, tenants, workers.
    await server?.close();
    await authorizer?.close?.();
    await Promise.all(tenants.map((tenant) => tenant.close()));
    await bundler.dispose();
    throw err;
  }
  const stage = server;

  let waiters: Array<() => void> = [];
  let queue: Promise<void> = Promise.resolve();
  const reload = async (files: string[]): Promise<void> => {
    const started = performance.now();
    try {
      if (files.some((file) => stackInputs.includes(file))) {
        const synth = await synthApp(config);
        const nextBuild = await bundler.build(Object.values(synth.manifest.functions));
        if (options.idp !== "remote") await updateImpersonation(synth.manifest, tenants, logger);
        await stage.apply(synth.manifest, nextBuild);
        ({ manifest, stackInputs } = synth);
        build = nextBuild;
        logger.info(`Stacks reloaded (${Math.round(performance.now() - started)} ms)`);
      } else if (files.some((file) => build.inputs.includes(file))) {
        const nextBuild = await bundler.build(Object.values(manifest.functions));
        if (nextBuild.changed.length > 0) {
          await stage.apply(manifest, nextBuild);
          const names = nextBuild.changed.map((id) => manifest.functions[id].handler).join(", ");
          logger.info(`Rebuilt ${names} (${Math.round(performance.now() - started)} ms)`);
        }
        build = nextBuild;
      }
    } catch (err) {
      // The last good build keeps serving; the user sees what to fix.
      logger.error(isGatehouseError(err) ? err.message : `Reload failed: ${(err as Error).stack ?? err}`);
    } finally {
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    }
  };
  const stopWatching =
    options.watch === false
      ? () => {}
      : watchApp(
          config.root,
          (files) => {
            queue = queue.then(() => reload(files));
          },
          (err) => logger.warn(`Watching ${config.root} failed (${err.message}); saves are no longer applied. Restart gatehouse dev.`),
        );

  return {
    config,
    manifest: () => manifest,
    endpoints: () => stage.endpoints(),
    outputs: () => stage.outputs(),
    tenants,
    stageTenants: () => stage.tenantList(),
    tablesEndpoint: () => stage.tablesEndpoint(),
    nextReload: () => new Promise((resolve) => waiters.push(resolve)),
    async close() {
      stopWatching();
      await queue;
      await stage.close();
      await authorizer?.close?.();
      await Promise.all(tenants.map((tenant) => tenant.close()));
      await bundler.dispose();
    },
  };
}

/**
 * After a stack edit: new audiences of an impersonated issuer become applications at once; a new issuer needs
 * a restart (its provider and the authorizer's override are set up at start), which the user is told.
 */
async function updateImpersonation(manifest: Manifest, tenants: ImpersonatedTenant[], logger: Logger): Promise<void> {
  for (const [issuer, audiences] of issuersToImpersonate(manifest)) {
    const tenant = tenants.find((candidate) => candidate.issuer === issuer);
    if (tenant) tenant.addApplications(audiences);
    else logger.warn(`The stacks now name the issuer ${issuer}: restart gatehouse dev to impersonate it (until then it is contacted as it is).`);
  }
}
