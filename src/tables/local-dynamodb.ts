import { mkdirSync } from "node:fs";
import { Agent, type IncomingMessage, type Server, type ServerResponse, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.js";
import type { TableManifest } from "../manifest/manifest.js";
import { tableStreamArn } from "../manifest/table-arns.js";
import { DataDirLock } from "./data-dir-lock.js";
import { callDynamoDb } from "./dynamodb-call.js";
import { type AttributeMap, SequenceNumbers, type StreamRecord, type StreamTarget, changeRecord } from "./stream-records.js";
import { syncTables } from "./table-sync.js";
import { touchedItems } from "./touched-items.js";
import { transactGet, transactWrite } from "./transactions.js";

let dynaliteModule: Promise<typeof import("dynalite")> | null = null;

/** dynalite (and LevelDB's native binding) load only for stages that declare a table, and only once. */
export async function preloadDynalite(): Promise<(typeof import("dynalite"))["default"]> {
  dynaliteModule ??= import("dynalite");
  return (await dynaliteModule).default;
}

export interface LocalDynamoDbOptions {
  /** Where the tables' data lives (LevelDB); created when missing, kept across restarts. */
  dataDir: string;
  region: string;
  logger: Logger;
  /** Called with the records of each write that changed items of a table with a stream. */
  onRecords: (tableName: string, records: StreamRecord[]) => void;
}

/** How long closing waits for the requests the server is answering (each is one local LevelDB operation or a few). */
const BACKEND_DRAIN_MS = 5_000;

// DynamoDB's own limit on a request; the server refuses more as well.
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/**
 * A DynamoDB API on loopback for one stage: dynalite (LevelDB on disk) behind a small front server. The front
 * passes every request through unchanged; writes to tables with a stream are run one at a time with the
 * touched items read before and after, which yields the stream records DynamoDB would write (see
 * docs/tables.md). Handlers are pointed at the front's endpoint.
 */
export class LocalDynamoDb {
  private readonly agent = new Agent({ keepAlive: true });
  private readonly sequence = new SequenceNumbers();
  private streams = new Map<string, StreamTarget>();
  private writes: Promise<void> = Promise.resolve();
  private front!: Server;
  private backend!: Server;
  private backendPort = 0;
  private lock: DataDirLock | null = null;
  /** Requests the server is answering now, and who waits for there to be none. */
  private backendActive = 0;
  private backendIdle: Array<() => void> = [];
  /** The URL handlers and SDKs use (`http://127.0.0.1:<port>`). */
  endpoint = "";

  private constructor(private readonly options: LocalDynamoDbOptions) {}

  static async start(options: LocalDynamoDbOptions): Promise<LocalDynamoDb> {
    const server = new LocalDynamoDb(options);
    await server.listen();
    return server;
  }

  private get backendUrl(): string {
    return `http://127.0.0.1:${this.backendPort}`;
  }

  private async listen(): Promise<void> {
    mkdirSync(this.options.dataDir, { recursive: true });
    const dynalite = await preloadDynalite();
    this.lock = DataDirLock.acquire(this.options.dataDir);
    try {
      // No CREATING/UPDATING pause: a table is usable as soon as dev has created it.
      this.backend = dynalite({ path: this.options.dataDir, createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 });
      // The front reuses its connections to the server; a server closing idle ones could close one just as
      // the front sends on it (the request then fails with "socket hang up"), so the server keeps them.
      this.backend.keepAliveTimeout = 0;
      this.backend.on("request", (_req: IncomingMessage, res: ServerResponse) => {
        this.backendActive++;
        res.once("close", () => {
          if (--this.backendActive > 0) return;
          for (const resolve of this.backendIdle.splice(0)) resolve();
        });
      });
      await new Promise<void>((resolve, reject) => {
        this.backend.once("error", reject);
        this.backend.listen(0, "127.0.0.1", () => resolve());
      });
    } catch (err) {
      this.lock.release();
      throw err;
    }
    this.backendPort = (this.backend.address() as AddressInfo).port;
    this.front = createServer((req, res) => this.handle(req, res));
    // Handlers' SDKs reuse connections too (v3 always): the same race, avoided the same way.
    this.front.keepAliveTimeout = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        this.front.once("error", reject);
        this.front.listen(0, "127.0.0.1", () => resolve());
      });
    } catch (err) {
      await this.closeBackend();
      throw err;
    }
    this.endpoint = `http://127.0.0.1:${(this.front.address() as AddressInfo).port}`;
  }

  /**
   * Brings the server's tables in line with `tables` (see table-sync.ts); the streams of `tables` are the
   * ones observed from now on.
   */
  async applyTables(tables: TableManifest[]): Promise<void> {
    await syncTables(this.backendUrl, tables, this.options.logger);
    this.streams = new Map(
      tables
        .filter((table) => table.stream !== null)
        .map((table) => [
          table.tableName,
          {
            region: this.options.region,
            streamArn: tableStreamArn(this.options.region, table.tableName),
            view: table.stream!,
            keyNames: [table.partitionKey, ...(table.sortKey === null ? [] : [table.sortKey])],
          },
        ]),
    );
  }

  async close(): Promise<void> {
    await this.writes;
    await new Promise<void>((resolve) => {
      this.front.close(() => resolve());
      this.front.closeAllConnections();
    });
    this.agent.destroy();
    await this.closeBackend();
  }

  private async closeBackend(): Promise<void> {
    // A request cut off mid-way (a write reads, then writes) would reach a closed database, and dynalite throws
    // that from a callback, which would end the process: requests still being answered finish first, within
    // a bound (docs/tables.md).
    if (this.backendActive > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, BACKEND_DRAIN_MS);
        timer.unref();
        this.backendIdle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await new Promise<void>((resolve) => {
      this.backend.close(() => resolve());
      (this.backend as Server).closeAllConnections?.();
    });
    this.lock?.release();
    this.lock = null;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_REQUEST_BYTES) {
        res.writeHead(413).end();
        return;
      }
      const body = Buffer.concat(chunks);
      const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
      if (operation === "TransactGetItems") {
        this.transaction(operation, body).then((answer) => this.reply(res, answer), (err) => this.fail(res, err));
        return;
      }
      if (operation === "TransactWriteItems") {
        this.queueWrite(() => this.transaction(operation, body).then((answer) => this.reply(res, answer), (err) => this.fail(res, err)));
        return;
      }
      const observed = this.streams.size > 0 ? touchedItems(operation, body, this.streams) : null;
      if (observed === null) {
        this.forward(req, body).then((answer) => this.reply(res, answer), (err) => this.fail(res, err));
        return;
      }
      this.queueWrite(() => this.observedWrite(req, body, observed).then((answer) => this.reply(res, answer), (err) => this.fail(res, err)));
    });
  }

  /** Observed writes and transactions go one at a time, so what is read before and after each is its own doing. */
  private queueWrite(run: () => Promise<void>): void {
    const next = this.writes.then(run, run);
    this.writes = next.then(
      () => {},
      () => {},
    );
  }

  /** A transaction, which the server lacks, run by Gatehouse from single-item operations (transactions.ts). */
  private async transaction(operation: "TransactGetItems" | "TransactWriteItems", body: Buffer): Promise<Answer> {
    let input: Record<string, any>;
    try {
      input = JSON.parse(body.toString("utf8"));
    } catch {
      return jsonAnswer(400, { __type: "com.amazon.coral.service#SerializationException" });
    }
    const outcome = operation === "TransactGetItems" ? await transactGet(this.backendUrl, input) : await transactWrite(this.backendUrl, input);
    if (!outcome.ok) return jsonAnswer(outcome.status, outcome.body);
    this.emitChanges(outcome.items);
    return jsonAnswer(200, outcome.body);
  }

  /** Stream records for the changed items of tables with a stream, one per item, in order. */
  private emitChanges(changes: Array<{ tableName: string; key: AttributeMap; before: AttributeMap | null; after: AttributeMap | null }>): void {
    const byTable = new Map<string, StreamRecord[]>();
    const seen = new Set<string>();
    for (const change of changes) {
      const target = this.streams.get(change.tableName);
      if (!target) continue;
      // A batch may name one item twice; its change is reported once.
      const id = JSON.stringify([change.tableName, change.key]);
      if (seen.has(id)) continue;
      seen.add(id);
      const record = changeRecord(target, change.before, change.after, this.sequence);
      if (!record) continue;
      const list = byTable.get(change.tableName) ?? [];
      list.push(record);
      byTable.set(change.tableName, list);
    }
    for (const [tableName, records] of byTable) this.options.onRecords(tableName, records);
  }

  private async observedWrite(req: IncomingMessage, body: Buffer, touched: Map<string, AttributeMap[]>): Promise<Answer> {
    const before = await this.readItems(touched);
    const answer = await this.forward(req, body);
    if (answer.status !== 200) return answer;
    const after = await this.readItems(touched);
    this.emitChanges(
      [...touched].flatMap(([tableName, keys]) =>
        keys.map((key, i) => ({ tableName, key, before: before.get(tableName)![i], after: after.get(tableName)![i] })),
      ),
    );
    return answer;
  }

  /** Each touched item as stored now (null when absent), read consistently. */
  private async readItems(touched: Map<string, AttributeMap[]>): Promise<Map<string, Array<AttributeMap | null>>> {
    const result = new Map<string, Array<AttributeMap | null>>();
    for (const [tableName, keys] of touched) {
      const items = await Promise.all(
        keys.map(async (key) => {
          try {
            const answer = await callDynamoDb(this.backendUrl, "GetItem", { TableName: tableName, Key: key, ConsistentRead: true });
            return (answer.Item as AttributeMap | undefined) ?? null;
          } catch {
            return null;
          }
        }),
      );
      result.set(tableName, items);
    }
    return result;
  }

  /** Sends the request on to the server as it came, and collects its answer. */
  private forward(req: IncomingMessage, body: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: `127.0.0.1:${this.backendPort}`, "content-length": String(body.length) };
      delete headers["transfer-encoding"];
      const outgoing = request({ host: "127.0.0.1", port: this.backendPort, method: req.method, path: req.url, headers, agent: this.agent }, (response) => {
        const parts: Buffer[] = [];
        response.on("data", (chunk: Buffer) => parts.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(parts) }));
        response.on("error", reject);
      });
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  }

  private reply(res: ServerResponse, answer: Answer): void {
    const headers = { ...answer.headers };
    delete headers.connection;
    delete headers["keep-alive"];
    delete headers["transfer-encoding"];
    headers["content-length"] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  private fail(res: ServerResponse, err: unknown): void {
    this.options.logger.error(`Local DynamoDB: a request failed inside Gatehouse: ${(err as Error).stack ?? err}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "The local DynamoDB server failed." });
    res.writeHead(500, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }
}

interface Answer {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

function jsonAnswer(status: number, value: unknown): Answer {
  return { status, headers: { "content-type": "application/x-amz-json-1.0" }, body: Buffer.from(JSON.stringify(value)) };
}
