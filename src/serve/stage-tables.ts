import type { Logger } from "../log.js";
import type { TableManifest } from "../manifest/manifest.js";
import type { Invoker } from "../runtime/types.js";
import type { LocalDynamoDb } from "../tables/local-dynamodb.js";
import type { StreamRecord } from "../tables/stream-records.js";

export interface StageTableOptions {
  /** Where the stage's table data lives; kept across restarts, deleted by `gatehouse remove`. */
  dataDir: string;
}

// Lambda's default batch size for a DynamoDB stream event source.
const MAX_RECORDS_PER_BATCH = 100;

/** Records waiting for one consumer, delivered in order, one batch at a time. */
class ConsumerQueue {
  private pending: StreamRecord[] = [];
  private running = false;
  private stopped = false;
  private drained: Promise<void> = Promise.resolve();
  private finish: () => void = () => {};

  constructor(
    private readonly describe: string,
    readonly functionId: string,
    private readonly invoker: Invoker,
    private readonly logger: Logger,
  ) {}

  push(records: StreamRecord[]): void {
    if (this.stopped) return;
    this.pending.push(...records);
    if (this.running) return;
    this.running = true;
    this.drained = new Promise((resolve) => {
      this.finish = resolve;
    });
    void this.run();
  }

  /** Resolves once every record handed in so far has been delivered (or given up). */
  idle(): Promise<void> {
    return this.drained;
  }

  /** Delivers nothing more; the batch being delivered ends with its invocation. */
  stop(): void {
    this.stopped = true;
    this.pending = [];
  }

  private async run(): Promise<void> {
    while (this.pending.length > 0 && !this.stopped) {
      const batch = this.pending.splice(0, MAX_RECORDS_PER_BATCH);
      try {
        const outcome = await this.invoker.invoke(this.functionId, { Records: batch });
        if (!outcome.ok) {
          // Lambda would retry the batch until the records expire, holding back the ones after it; locally
          // that would stall the table's stream for a day, so the failure is shown and the batch dropped.
          this.logger.error(`${this.describe} failed on ${batch.length} stream record(s) (${outcome.kind}: ${outcome.message}); they are not retried.`);
        }
      } catch (err) {
        this.logger.error(`${this.describe} could not be invoked: ${(err as Error).message}`);
      }
    }
    this.running = false;
    this.finish();
  }
}

/**
 * Starts loading the local DynamoDB server's code (dynalite, LevelDB) without waiting, so that a caller who
 * knows tables are coming can overlap the load with other start-up work (dev does, with bundling).
 */
export function preloadLocalDynamoDb(): void {
  import("../tables/local-dynamodb.js").then(
    (module) => module.preloadDynalite(),
    () => {},
  );
}

/**
 * The tables of one stage: a local DynamoDB server, started the first time the stage declares a table (so
 * apps without tables never load it), their definitions kept in step with the manifest, and each stream's
 * records delivered to its consumers.
 */
export class StageTables {
  private server: LocalDynamoDb | null = null;
  private consumers = new Map<string, ConsumerQueue[]>();

  constructor(private readonly options: StageTableOptions & { logger: Logger; invoker: Invoker }) {}

  /** Starts the server if needed and creates or updates the tables; the consumers of `tables` take effect. */
  async apply(tables: TableManifest[], region: string): Promise<void> {
    if (tables.length === 0 && this.server === null) return;
    if (this.server === null) {
      const { LocalDynamoDb } = await import("../tables/local-dynamodb.js");
      this.server = await LocalDynamoDb.start({
        dataDir: this.options.dataDir,
        region,
        logger: this.options.logger,
        onRecords: (tableName, records) => this.deliver(tableName, records),
      });
    }
    await this.server.applyTables(tables);
    const next = new Map<string, ConsumerQueue[]>();
    for (const table of tables) {
      const queues = table.consumers.map((consumer) => {
        const existing = this.consumers.get(table.tableName)?.find((queue) => queue.functionId === consumer.functionId);
        return existing ?? new ConsumerQueue(`Table ${table.tableName} consumer "${consumer.name}"`, consumer.functionId, this.options.invoker, this.options.logger);
      });
      next.set(table.tableName, queues);
    }
    this.consumers = next;
  }

  /** The local DynamoDB endpoint, once a table exists. */
  endpoint(): string | null {
    return this.server?.endpoint ?? null;
  }

  /**
   * What handlers need in their environment to reach the tables with unmodified SDK code: SDK v3 reads the
   * endpoint variable itself; SDK v2 is given it by the runtime (see docs/tables.md).
   */
  environment(): Record<string, string> {
    if (this.server === null) return {};
    return { AWS_ENDPOINT_URL_DYNAMODB: this.server.endpoint };
  }

  /** Resolves once every stream record produced so far has reached its consumers (tests use it). */
  async settled(): Promise<void> {
    await Promise.all([...this.consumers.values()].flat().map((queue) => queue.idle()));
  }

  /**
   * Stops the server (after the writes in flight) and the delivery of records not yet handed to a consumer;
   * a consumer still running is ended by the runtime closing, not waited for here.
   */
  async close(): Promise<void> {
    await this.server?.close();
    this.server = null;
    for (const queue of [...this.consumers.values()].flat()) queue.stop();
  }

  private deliver(tableName: string, records: StreamRecord[]): void {
    for (const queue of this.consumers.get(tableName) ?? []) queue.push(records);
  }
}
