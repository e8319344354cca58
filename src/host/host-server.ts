import { randomBytes, timingSafeEqual } from "node:crypto";
import type { LocalCredential } from "../auth/sigv4-verifier.js";
import { IamCredentialStore, iamCredentialsFile } from "../identity/iam-credentials.js";
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { JwtAuthorizer } from "../auth/jwt-authorizer.js";
import { GatehouseError } from "../errors.js";
import type { Logger } from "../log.js";
import { writePrivateFile } from "../private-files.js";
import { StageServer } from "../serve/stage-server.js";
import { readArtifact } from "./artifact.js";
import { DeploymentStore } from "./deployment-store.js";
import { CONTROL_TOKEN_HEADER, type HostFile } from "./host-file.js";
import { type HostHome, secureHome, stageDir } from "./host-home.js";
import { OsLock, lockOwner } from "./os-lock.js";

/** How long a starting host waits for the home's lock (others only look at it for an instant). */
const HOST_LOCK_WAIT_MS = 2_000;

/** What the host reports about one stage it serves. */
export interface ServedStage {
  app: string;
  stage: string;
  version: number;
  hash: string;
  endpoints: Record<string, string>;
  outputs: Record<string, Record<string, string>>;
}


interface Serving {
  server: StageServer;
  hash: string;
  version: number;
}

/**
 * The host: one long-running process serving every deployed (app, stage) on its own stable ports, with the
 * same gateway, authorizer and runtime as dev. It serves what the deployments database says is live; the
 * CLI changes the database, then asks the host (on a loopback control port) to reconcile.
 */
export async function runHost(options: { home: HostHome; logger: Logger }): Promise<{ close(): Promise<void>; controlPort: number }> {
  const { home, logger } = options;
  // One host per home, for as long as this process lives: the OS drops the lock when it dies, and keeps it
  // while it is stopped or busy, so no second host can start beside a slow one (docs/host.md).
  const lock = new OsLock(home.hostLock);
  if (!(await lock.acquire(HOST_LOCK_WAIT_MS))) {
    const owner = lockOwner(home.hostLock);
    const who = owner ? `pid ${owner.pid}, started ${owner.acquiredAt}` : "another process";
    throw new GatehouseError(
      "GH_ERR_HOST_RUNNING",
      `Another host (${who}) already serves ${home.root}; only one host may run per GATEHOUSE_HOME. Fix: use it (\`gatehouse host status\`), or stop it first (\`gatehouse host stop\`).`,
    );
  }
  // Fix state written before folders and files were made private (or under a loose umask).
  secureHome(home);
  const store = new DeploymentStore(home.database);
  // Deployed stages contact issuers as they are: no impersonation, fail-closed when unreachable.
  const authorizer = new JwtAuthorizer();
  const serving = new Map<string, Serving>();
  let queue: Promise<unknown> = Promise.resolve();

  const reconcileNow = async (): Promise<ServedStage[]> => {
    const live = store.listStages().filter((stage) => stage.artifactDir !== null);
    const wanted = new Set(live.map((stage) => `${stage.app}/${stage.stage}`));
    for (const [key, current] of serving) {
      if (wanted.has(key)) continue;
      await current.server.close();
      serving.delete(key);
      logger.info(`stopped ${key}`);
    }
    for (const stage of live) {
      const key = `${stage.app}/${stage.stage}`;
      const current = serving.get(key);
      if (current && current.hash === stage.liveHash) {
        // Same code under another version number (a rollback, or A→B→A): report the number that is live.
        current.version = stage.liveVersion!;
        continue;
      }
      const server =
        current?.server ??
        new StageServer({
          logger,
          authorizer,
          basePort: 0,
          tenants: { dataDir: join(stageDir(home.state, stage.app, stage.stage), "auth"), basePort: 0 },
          iamCredentials: stageIamCredentials(stageDir(home.state, stage.app, stage.stage)),
          tables: { dataDir: join(stageDir(home.state, stage.app, stage.stage), "dynamodb") },
        });
      try {
        const artifact = readArtifact(stage.artifactDir!);
        await server.apply(artifact.manifest, artifact.build, stage.ports);
        serving.set(key, { server, hash: artifact.hash, version: stage.liveVersion! });
        logger.info(`serving ${key} version ${stage.liveVersion} (${artifact.hash})`);
      } catch (err) {
        logger.error(`could not serve ${key}: ${(err as Error).message}`);
        // A stage that never served must not keep half of itself (a bound port, workers) alive; one that did
        // may now be half on the new version, so the next reconcile applies its live version in full.
        if (!current) await server.close();
        else current.hash = "";
      }
    }
    return status();
  };
  const reconcile = (): Promise<ServedStage[]> => {
    const next = queue.then(reconcileNow, reconcileNow);
    queue = next.catch(() => {});
    return next;
  };
  const status = (): ServedStage[] =>
    [...serving].map(([key, current]) => {
      const [app, stage] = key.split("/");
      return { app, stage, version: current.version, hash: current.hash, endpoints: current.server.endpoints(), outputs: current.server.outputs() };
    });

  await reconcile();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      control.close();
      await queue;
      await Promise.all([...serving.values()].map((current) => current.server.close()));
      serving.clear();
      await authorizer.close?.();
      store.close();
      rmSync(home.hostFile, { force: true });
      lock.release();
    })();
    return closing;
  };

  const token = randomBytes(32).toString("base64url");
  const control = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (code: number, body: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    req.resume();
    const given = Buffer.from(String(req.headers[CONTROL_TOKEN_HEADER] ?? ""));
    if (given.length !== token.length || !timingSafeEqual(given, Buffer.from(token))) return reply(403, { error: "forbidden" });
    if (req.method === "GET" && req.url === "/status") return reply(200, { pid: process.pid, stages: status() });
    if (req.method === "POST" && req.url === "/reconcile") {
      reconcile().then(
        (stages) => reply(200, { pid: process.pid, stages }),
        (err) => reply(500, { error: String(err) }),
      );
      return;
    }
    if (req.method === "POST" && req.url === "/stop") {
      reply(200, { stopping: true });
      close().then(() => process.exit(0));
      return;
    }
    reply(404, { error: "not found" });
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  const controlPort = (control.address() as AddressInfo).port;
  const hostFile: HostFile = { pid: process.pid, controlPort, token, startedAt: new Date().toISOString() };
  writePrivateFile(`${home.hostFile}.tmp`, JSON.stringify(hostFile));
  renameSync(`${home.hostFile}.tmp`, home.hostFile);
  logger.info(`host ready (pid ${process.pid}, control port ${controlPort}, ${serving.size} stage(s))`);
  return { close, controlPort };
}

/** The key pairs a deployed stage's AWS_IAM routes accept, kept beside its other state (docs/authorizers.md). */
function stageIamCredentials(dir: string): (accessKeyId: string) => LocalCredential | undefined {
  const store = new IamCredentialStore(iamCredentialsFile(dir));
  return (accessKeyId) => store.lookup(accessKeyId);
}
