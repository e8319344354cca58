import { join } from "node:path";
import { type AppConfig, loadConfig } from "../app/load-config.js";
import type { Manifest } from "../manifest/manifest.js";
import { stageAuthDir, stageBuildDir, stageStateDir, stageTablesDir } from "../app/stage-paths.js";
import { synthApp } from "../app/synth-app.js";
import { JwtAuthorizer } from "../auth/jwt-authorizer.js";
import { type FunctionBuild, FunctionBundler } from "../build/function-bundler.js";
import { AppWatcher } from "../build/watch-app.js";
import { StageLock } from "../app/stage-lock.js";
import { isGatehouseError } from "../errors.js";
import type { Logger } from "../log.js";
import type { ImpersonatedTenant } from "./describe-tenant.js";
import { issuersToImpersonate } from "../serve/issuers-to-impersonate.js";
import type { Clock } from "../serve/clock.js";
import type { EventSources } from "../serve/event-sources.js";
import { StageServer } from "../serve/stage-server.js";
import { iamCredentialsFile, IamCredentialStore, type StoredCredential } from "../identity/iam-credentials.js";
import { describeIamCredential } from "./describe-iam-credential.js";
import { writeStaticSiteEnvironment } from "./static-site-env-file.js";
import { ConsoleServer } from "../console/console-server.js";
import { RequestJournal } from "../console/request-journal.js";
import type { ConsoleTenant } from "../console/tenant-desk.js";
import { stageTenantDir } from "../serve/stage-tenants.js";
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
  /** Clock of the authorizer caches and the SigV4 window (tests inject one). */
  now?: () => number;
  /** The clock the app's crons run on (tests inject one they advance). */
  clock?: Clock;
  /** No access lines (errors and handler output still print). */
  quiet?: boolean;
  /** Colour in access lines (the CLI decides: a terminal, and NO_COLOR unset). */
  color?: boolean;
  /** The dev console's port (default: the API port + 300; 0 picks a free one); false: no console. */
  console?: { port?: number } | false;
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
  /** The key pair AWS_IAM routes accept (made on first start); null when the app has no AWS_IAM route. */
  iamCredential: StoredCredential | null;
  /** The app's topics, queues and crons: publish, send a message, run a cron now (docs/sst-apps.md). */
  events: EventSources;
  /** Each served StaticSite's URL, keyed by manifest id. */
  sites(): Record<string, string>;
  /** The dev console's link (with its session token), unless it is off. */
  consoleUrl?: string;
  /** The local DynamoDB endpoint, when the app has tables. */
  tablesEndpoint(): string | null;
  /** Resolves after the next reload attempt finishes (tests use it to wait for a save to apply). */
  nextReload(): Promise<void>;
  /** Resolves once the watcher has scanned the app, so every later save is seen. */
  watching(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_DEV_PORT = 4000;
export const DEFAULT_IDP_PORT = 4100;
/** The console listens this far above the API port. */
export const CONSOLE_PORT_OFFSET = 300;

/** `gatehouse dev`: builds the app, serves it as API Gateway + Lambda would, and applies every save. */
export async function startDev(options: DevOptions): Promise<DevSession> {
  const { logger } = options;
  let config = loadConfig(options.cwd, { stage: options.stage });
  // Held while dev runs, so `gatehouse remove` cannot delete the tenants it serves (and a second dev of the
  // same stage, which would share them, is refused).
  const lock = StageLock.acquire(stageStateDir(config), "gatehouse dev", `stage "${config.stage}" of ${config.name}`);
  let synthesized: Awaited<ReturnType<typeof synthApp>>;
  try {
    synthesized = await synthApp(config, { local: true });
  } catch (err) {
    lock.release();
    throw err;
  }
  let { manifest, stackInputs } = synthesized;
  for (const notice of manifest.notices) logger.warn(`note: ${notice}`);
  // The local DynamoDB server's code loads while the handlers bundle.
  if (manifest.tables.length > 0) preloadLocalDynamoDb();
  const bundler = new FunctionBundler({ root: config.root, outDir: join(stageBuildDir(config), "functions") });
  const idpPort = options.idpPort ?? DEFAULT_IDP_PORT;
  let tenants: ImpersonatedTenant[] = [];
  let server: StageServer | undefined;
  let authorizer: JwtAuthorizer | undefined;
  let consoleServer: ConsoleServer | undefined;
  let build: FunctionBuild;
  const iamStore = new IamCredentialStore(iamCredentialsFile(stageStateDir(config)));
  // Only apps with AWS_IAM routes get (and print) a key pair.
  const iamCredential = usesIam(manifest) ? iamStore.ensureOne() : null;
  let consoleUrl: string | undefined;
  // Requests are recorded only for a console: without one the gateway builds no record detail at all.
  const journal = options.console === false ? undefined : new RequestJournal();
  try {
    build = await bundler.build(Object.values(manifest.functions));
    // The identity provider (oidc-provider, SQLite) loads only for apps that name an issuer to impersonate.
    if (options.idp !== "remote") {
      tenants = await (await import("./impersonate-issuers.js")).startImpersonation(manifest, {
        stateDir: stageStateDir(config),
        basePort: idpPort,
        logger,
        appName: config.name,
        urls: config.applicationUrls,
      });
    }
    const overrides = new Map(tenants.map((tenant) => [tenant.issuer, tenant.url]));
    authorizer = new JwtAuthorizer({ issuerOverrides: (issuer) => overrides.get(issuer) });
    server = new StageServer({
      logger,
      authorizer,
      iamCredentials: (accessKeyId) => iamStore.lookup(accessKeyId),
      now: options.now,
      basePort: options.port ?? DEFAULT_DEV_PORT,
      ...(options.clock ? { clock: options.clock } : {}),
      portFlag: "--port",
      // The stage's own tenants (Auth) listen after the impersonated ones.
      tenants: { dataDir: stageAuthDir(config), basePort: idpPort === 0 ? 0 : idpPort + 50 },
      accessLog: options.quiet ? false : { color: options.color ?? false },
      onRequest: journal?.record,
      onLog: journal?.log,
      tables: { dataDir: stageTablesDir(config) },
    });
    await server.apply(manifest, build);
    writeStaticSiteEnvironment(config.root, manifest, (text) => server!.resolve(text));
    if (journal && options.console !== false) {
      const stage = server;
      const apiPort = options.port ?? DEFAULT_DEV_PORT;
      consoleServer = new ConsoleServer({
        journal,
        logger,
        source: {
          root: config.root,
          manifest: () => manifest,
          endpoints: () => stage.endpoints(),
          outputs: () => stage.outputs(),
          invoker: stage.runtime,
          tenants: (): ConsoleTenant[] => [
            ...tenants.map((tenant) => ({ label: tenant.issuer, issuer: tenant.issuer, url: tenant.url, dataDir: tenant.dataDir })),
            ...stage.tenantList().map((tenant) => ({
              label: `Auth ${tenant.id}`,
              issuer: tenant.issuer,
              url: tenant.url,
              dataDir: stageTenantDir(stageAuthDir(config), tenant.id),
            })),
          ],
        },
      });
      consoleUrl = (await consoleServer.listen(options.console?.port ?? (apiPort === 0 ? 0 : apiPort + CONSOLE_PORT_OFFSET))).url;
    }
  } catch (err) {
    // Nothing may keep the process alive after a failed start: esbuild's service, tenants, workers.
    await consoleServer?.close();
    await server?.close();
    await authorizer?.close?.();
    await Promise.all(tenants.map((tenant) => tenant.close()));
    await bundler.dispose();
    lock.release();
    throw err;
  }
  const stage = server;

  let waiters: Array<() => void> = [];
  let queue: Promise<void> = Promise.resolve();
  const ms = (started: number) => Math.round(performance.now() - started);
  const reloadStacks = async (started: number, reason: string) => {
    const synth = await synthApp(config, { local: true });
    const nextBuild = await bundler.build(Object.values(synth.manifest.functions));
    if (options.idp !== "remote") await updateImpersonation(synth.manifest, tenants, config, logger);
    await stage.apply(synth.manifest, nextBuild);
    if (usesIam(synth.manifest) && iamStore.list().length === 0) {
      logger.info(describeIamCredential(iamStore.ensureOne()));
    }
    writeStaticSiteEnvironment(config.root, synth.manifest, (text) => stage.resolve(text));
    // Notices are said once: at start, and then only the ones a stack edit brings.
    for (const notice of synth.manifest.notices) if (!manifest.notices.includes(notice)) logger.warn(`note: ${notice}`);
    ({ manifest, stackInputs } = synth);
    build = nextBuild;
    logger.info(`${reason} (${ms(started)} ms)`);
  };
  const reload = async (files: string[]): Promise<void> => {
    const started = performance.now();
    try {
      if (files.includes(config.configFile)) {
        // A broken sst.json throws here, before anything changes: the last good config keeps serving.
        const next = loadConfig(options.cwd, { stage: options.stage });
        if (next.name !== config.name || next.stage !== config.stage) {
          logger.warn(`${config.configFile}: the app's name or stage changed; restart gatehouse dev to serve it (until then ${config.name}/${config.stage} keeps serving).`);
          return;
        }
        config = next;
        await reloadStacks(started, "Config reloaded");
      } else if (files.some((file) => stackInputs.includes(file))) {
        await reloadStacks(started, "Stacks reloaded");
      } else if (files.some((file) => build.inputs.includes(file))) {
        const nextBuild = await bundler.build(Object.values(manifest.functions));
        if (nextBuild.changed.length > 0) {
          await stage.apply(manifest, nextBuild);
          // Two routes sharing a handler are two functions with one handler: name it once.
          const names = [...new Set(nextBuild.changed.map((id) => manifest.functions[id].handler))].join(", ");
          logger.info(`Rebuilt ${names} (${ms(started)} ms)`);
        }
        build = nextBuild;
      }
    } catch (err) {
      // The last good build keeps serving; the user sees what to fix.
      logger.error(isGatehouseError(err) ? `Error [${err.code}]: ${err.message}` : `Reload failed: ${(err as Error).stack ?? err}`);
    } finally {
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    }
  };
  const watcher =
    options.watch === false
      ? undefined
      : new AppWatcher(config.root, {
          onChange: (files) => {
            queue = queue.then(() => reload(files));
          },
          // chokidar keeps watching the rest (e.g. past an unreadable folder), so this is a warning, not an end.
          onError: (err) => logger.warn(`Watching ${config.root}: ${err.message}; saves there may go unseen. If saves stop reloading, restart gatehouse dev.`),
        });
  // A session is ready only once its watcher has scanned the app: a save made right after start is applied too.
  await watcher?.ready;

  return {
    get config() {
      return config;
    },
    manifest: () => manifest,
    endpoints: () => stage.endpoints(),
    outputs: () => stage.outputs(),
    tenants,
    iamCredential,
    stageTenants: () => stage.tenantList(),
    events: stage.events,
    sites: () => stage.siteUrls(),
    consoleUrl,
    tablesEndpoint: () => stage.tablesEndpoint(),
    nextReload: () => new Promise((resolve) => waiters.push(resolve)),
    watching: async () => {
      await watcher?.ready;
    },
    async close() {
      await watcher?.close();
      await queue;
      await consoleServer?.close();
      await stage.close();
      await authorizer?.close?.();
      await Promise.all(tenants.map((tenant) => tenant.close()));
      await bundler.dispose();
      lock.release();
    },
  };
}

/**
 * After a stack edit: new audiences of an impersonated issuer become applications at once; a new issuer needs
 * a restart (its provider and the authorizer's override are set up at start), which the user is told.
 */
async function updateImpersonation(manifest: Manifest, tenants: ImpersonatedTenant[], config: AppConfig, logger: Logger): Promise<void> {
  for (const tenant of tenants) tenant.allowUrls(config.applicationUrls);
  for (const [issuer, audiences] of issuersToImpersonate(manifest)) {
    const tenant = tenants.find((candidate) => candidate.issuer === issuer);
    if (tenant) tenant.addApplications(audiences, config.applicationUrls);
    else logger.warn(`The stacks now name the issuer ${issuer}: restart gatehouse dev to impersonate it (until then it is contacted as it is).`);
  }
}

function usesIam(manifest: Manifest): boolean {
  return manifest.apis.some((api) => api.routes.some((route) => route.authorizationType === "AWS_IAM"));
}
