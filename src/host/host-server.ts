import { randomBytes, timingSafeEqual } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { JwtAuthorizer } from "../auth/jwt-authorizer.js";
import type { Logger } from "../log.js";
import { StageServer } from "../serve/stage-server.js";
import { readArtifact } from "./artifact.js";
import { DeploymentStore } from "./deployment-store.js";
import { CONTROL_TOKEN_HEADER, type HostFile } from "./host-file.js";
import { type HostHome, stageDir } from "./host-home.js";

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
      if (current && current.hash === stage.liveHash) continue;
      const server =
        current?.server ??
        new StageServer({
          logger,
          authorizer,
          basePort: 0,
          tenants: { dataDir: join(stageDir(home.state, stage.app, stage.stage), "auth"), basePort: 0 },
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
  writeFileSync(`${home.hostFile}.tmp`, JSON.stringify(hostFile), { mode: 0o600 });
  renameSync(`${home.hostFile}.tmp`, home.hostFile);
  logger.info(`host ready (pid ${process.pid}, control port ${controlPort}, ${serving.size} stage(s))`);
  return { close, controlPort };
}
