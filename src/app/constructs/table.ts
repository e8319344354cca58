import type { CdkValue } from "../../manifest/cdk-code.js";
import { CDK_REFERENCE } from "../cdk/cdk-recorder.js";
import { GatehouseError } from "../../errors.js";
import type { StreamViewType, TableManifest } from "../../manifest/manifest.js";
import { tableArn, tableStreamArn } from "../../manifest/table-arns.js";
import type { Synthesizable } from "./app.js";
import type { FunctionProps } from "./function-props.js";
import { SstFunction } from "./function.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

/** SST's TableFieldType: DynamoDB's attribute type letters. */
export const TableFieldType = { STRING: "S", NUMBER: "N", BINARY: "B" } as const;

type FieldType = "S" | "N" | "B";
type Projection = TableManifest["globalIndexes"][number]["projection"];
type FunctionDefinition = string | FunctionProps | SstFunction;

interface IndexProps {
  partitionKey?: string;
  sortKey?: string;
  /** SST 0.x: CDK GlobalSecondaryIndexProps/LocalSecondaryIndexProps minus the keys. */
  indexProps?: { projectionType?: string; nonKeyAttributes?: string[]; [other: string]: unknown };
  /** SST 1.x: "all", "keys_only" or the non-key attributes to include. */
  projection?: string | string[];
}

type ConsumerDefinition = FunctionDefinition | { function: FunctionDefinition; consumerProps?: unknown; filters?: unknown };

export interface TableProps {
  fields?: Record<string, string>;
  primaryIndex?: { partitionKey: string; sortKey?: string };
  globalIndexes?: Record<string, IndexProps>;
  /** Before SST 0.45.1: the name of globalIndexes. */
  secondaryIndexes?: Record<string, IndexProps>;
  localIndexes?: Record<string, IndexProps>;
  stream?: boolean | string;
  /** A map by consumer name; SST before 0.21 took a list. */
  consumers?: Record<string, ConsumerDefinition> | ConsumerDefinition[];
  defaultFunctionProps?: FunctionProps;
  /** SST 0.x: CDK TableProps overrides (a `tableName` here replaces SST's name), or an imported table. */
  dynamodbTable?: Record<string, unknown>;
  /** SST 1.x: `cdk.table` is the same overrides. */
  cdk?: { table?: Record<string, unknown> };
  [other: string]: unknown;
}

const FIELD_TYPES: Record<string, FieldType> = { S: "S", N: "N", B: "B", STRING: "S", NUMBER: "N", BINARY: "B" };
const STREAM_TYPES: StreamViewType[] = ["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"];
// Table props that change nothing locally but are common in stacks; said once so nobody wonders.
const UNHONOURED_TABLE_PROPS = ["timeToLiveAttribute", "kinesisStream", "pointInTimeRecovery", "replicationRegions", "encryption", "contributorInsightsEnabled"];

/**
 * SST's Table: a DynamoDB table served locally (see docs/tables.md). Names, keys, indexes and the stream view
 * follow SST's rules; consumers become functions invoked with stream records.
 */
export class Table implements Synthesizable {
  readonly stack: Stack;
  readonly id: string;
  readonly manifestId: string;

  /** How recorded CDK code refers to it (app/cdk/cdk-recorder.ts): a target makes it itself. */
  [CDK_REFERENCE](): CdkValue {
    return { sst: { kind: "table", id: this.manifestId } };
  }
  readonly tableName: string;
  readonly tableArn: string;
  /** The CDK table's members that stacks read (names, ARNs) and grant methods (IAM is not enforced locally). */
  readonly dynamodbTable: Record<string, unknown>;
  private readonly where: string;
  private readonly props: TableProps;
  private readonly attributes: Record<string, FieldType> = {};
  private readonly partitionKey: string;
  private readonly sortKey: string | null;
  private readonly globalIndexes: TableManifest["globalIndexes"] = [];
  private readonly localIndexes: TableManifest["localIndexes"] = [];
  private readonly stream: StreamViewType | null;
  private readonly consumers = new Map<string, SstFunction>();

  constructor(scope: Stack, id: string, props: TableProps = {}) {
    this.stack = scope;
    this.id = id;
    this.manifestId = `${scope.id}/${id}`;
    this.props = props;
    this.where = `${callerLocation(scope.app.root) ?? scope.id}: Table "${id}"`;
    const overrides = { ...(props.dynamodbTable ?? {}), ...(props.cdk?.table ?? {}) };
    if (isImportedTable(overrides)) {
      throw new GatehouseError(
        "GH_ERR_CONSTRUCT_INVALID",
        `${this.where}: dynamodbTable is an imported table; Gatehouse serves only tables the stacks define. Fix: define it with fields and primaryIndex.`,
      );
    }
    const fields = props.fields;
    if (!fields || typeof fields !== "object" || Object.keys(fields).length === 0) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: fields must name at least one attribute, e.g. { noteId: TableFieldType.STRING }.`);
    }
    for (const [name, type] of Object.entries(fields)) {
      const letter = FIELD_TYPES[String(type).toUpperCase()];
      if (!letter) {
        throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: field "${name}" has type ${JSON.stringify(type)}. Fix: use TableFieldType.STRING, NUMBER or BINARY.`);
      }
      this.attributes[name] = letter;
    }
    const primary = props.primaryIndex;
    if (!primary || typeof primary.partitionKey !== "string" || primary.partitionKey === "") {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: primaryIndex needs a partitionKey, e.g. { partitionKey: "noteId" }.`);
    }
    this.partitionKey = this.keyAttribute(primary.partitionKey);
    this.sortKey = primary.sortKey === undefined ? null : this.keyAttribute(primary.sortKey);
    this.addGlobalIndexes({ ...(props.secondaryIndexes ?? {}), ...(props.globalIndexes ?? {}) });
    this.addLocalIndexes(props.localIndexes ?? {});
    this.stream = this.streamView(props.stream);
    const customName = overrides.tableName;
    if (customName !== undefined && (typeof customName !== "string" || !/^[A-Za-z0-9_.-]{3,255}$/.test(customName))) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: dynamodbTable.tableName must be 3 to 255 letters, digits, "_", "-" or ".".`);
    }
    this.tableName = typeof customName === "string" ? customName : scope.app.logicalPrefixedName(id);
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(this.tableName)) {
      throw new GatehouseError(
        "GH_ERR_CONSTRUCT_INVALID",
        `${this.where}: the table name "${this.tableName}" is not one DynamoDB accepts (3 to 255 letters, digits, "_", "-" or "."). Fix: change the construct id, or set dynamodbTable.tableName.`,
      );
    }
    this.tableArn = tableArn(scope.app.region, this.tableName);
    if (scope.app.members.some((member) => member instanceof Table && member.tableName === this.tableName)) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: another table is already named "${this.tableName}". Fix: give each table its own id or tableName.`);
    }
    for (const key of UNHONOURED_TABLE_PROPS) {
      if (overrides[key] !== undefined) scope.app.notice(`Table prop "dynamodbTable.${key}" is accepted and has no effect locally.`);
    }
    const streamArn = this.stream ? tableStreamArn(scope.app.region, this.tableName) : undefined;
    const noGrant = () => ({ success: true });
    this.dynamodbTable = {
      tableName: this.tableName,
      tableArn: this.tableArn,
      tableStreamArn: streamArn,
      node: { id },
      grant: noGrant,
      grantReadData: noGrant,
      grantWriteData: noGrant,
      grantReadWriteData: noGrant,
      grantFullAccess: noGrant,
      grantStreamRead: noGrant,
      grantStream: noGrant,
      grantTableListStreams: noGrant,
    };
    scope.app.members.push(this);
    if (props.consumers !== undefined) this.addConsumers(scope, props.consumers);
  }

  /** Adds global secondary indexes, as SST's addGlobalIndexes. */
  addGlobalIndexes(indexes: Record<string, IndexProps>): void {
    for (const [name, index] of Object.entries(indexes)) {
      this.checkIndexName(name);
      if (typeof index?.partitionKey !== "string" || index.partitionKey === "") {
        throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: global index "${name}" needs a partitionKey.`);
      }
      this.globalIndexes.push({
        name,
        partitionKey: this.keyAttribute(index.partitionKey),
        sortKey: index.sortKey === undefined ? null : this.keyAttribute(index.sortKey),
        projection: this.projection(name, index),
      });
    }
  }

  /** Adds local secondary indexes (same partition key, another sort key), as SST's addLocalIndexes. */
  addLocalIndexes(indexes: Record<string, IndexProps>): void {
    for (const [name, index] of Object.entries(indexes)) {
      this.checkIndexName(name);
      if (typeof index?.sortKey !== "string" || index.sortKey === "") {
        throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: local index "${name}" needs a sortKey.`);
      }
      if (this.sortKey === null) {
        throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: local index "${name}" needs the table to have a sortKey in primaryIndex (DynamoDB's rule).`);
      }
      this.localIndexes.push({ name, sortKey: this.keyAttribute(index.sortKey), projection: this.projection(name, index) });
    }
  }

  /** Adds stream consumers, as SST's addConsumers; the table must have a stream. */
  addConsumers(scope: Stack, consumers: Record<string, ConsumerDefinition> | ConsumerDefinition[]): void {
    if (!this.stream) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: consumers need a stream. Fix: set stream: true on the table.`);
    }
    const entries = Array.isArray(consumers) ? consumers.map((consumer, index) => [`Consumer_${index}`, consumer] as const) : Object.entries(consumers ?? {});
    for (const [name, definition] of entries) {
      if (this.consumers.has(name)) {
        throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: two consumers are named "${name}".`);
      }
      const own = isConsumerProps(definition) ? definition.function : definition;
      if (isConsumerProps(definition) && (definition as { filters?: unknown }).filters !== undefined) {
        this.stack.app.notice(`Table "${this.id}" consumer "${name}": filters are accepted and not applied locally; the consumer gets every record.`);
      }
      const fn =
        own instanceof SstFunction || (own as unknown as SstFunction | undefined)?.manifestId
          ? (own as SstFunction)
          : new SstFunction(scope, `${this.id}_Consumer_${name}`, own as FunctionProps | string, {
              context: `Table "${this.id}" consumer "${name}"`,
              extraDefaults: [this.props.defaultFunctionProps ?? {}],
              location: this.where.split(": ")[0],
            });
      this.consumers.set(name, fn);
    }
  }

  /** The consumer function of that name, as SST's getFunction. */
  getFunction(name: string): SstFunction | undefined {
    return this.consumers.get(name);
  }

  attachPermissions(_permissions: unknown): void {
    this.stack.app.notice("attachPermissions is accepted; IAM permissions are not enforced locally.");
  }

  attachPermissionsToConsumer(_name: string, _permissions: unknown): void {
    this.attachPermissions(_permissions);
  }

  synthTable(): TableManifest {
    return {
      id: this.manifestId,
      constructId: this.id,
      stackId: this.stack.id,
      tableName: this.tableName,
      attributes: { ...this.attributes },
      partitionKey: this.partitionKey,
      sortKey: this.sortKey,
      globalIndexes: this.globalIndexes.map((index) => ({ ...index, projection: { ...index.projection } })),
      localIndexes: this.localIndexes.map((index) => ({ ...index, projection: { ...index.projection } })),
      stream: this.stream,
      consumers: [...this.consumers].map(([name, fn]) => ({ name, functionId: fn.manifestId })),
    };
  }

  /** A key attribute; one absent from `fields` becomes a string, as SST does. */
  private keyAttribute(name: string): string {
    if (typeof name !== "string" || name === "") {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: key names must be non-empty strings.`);
    }
    this.attributes[name] ??= "S";
    return name;
  }

  private checkIndexName(name: string): void {
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: index name "${name}" must be 3 to 255 letters, digits, "_", "-" or ".".`);
    }
    if ([...this.globalIndexes, ...this.localIndexes].some((index) => index.name === name)) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: two indexes are named "${name}".`);
    }
  }

  private projection(name: string, index: IndexProps): Projection {
    if (Array.isArray(index.projection)) return { type: "INCLUDE", nonKeyAttributes: [...index.projection] };
    const raw = index.projection ?? index.indexProps?.projectionType ?? "ALL";
    const type = String(raw).toUpperCase();
    if (type !== "ALL" && type !== "KEYS_ONLY" && type !== "INCLUDE") {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: index "${name}" has projection ${JSON.stringify(raw)}. Fix: use ALL, KEYS_ONLY or INCLUDE.`);
    }
    const nonKeyAttributes = type === "INCLUDE" ? [...(index.indexProps?.nonKeyAttributes ?? [])] : [];
    return { type, nonKeyAttributes };
  }

  private streamView(stream: TableProps["stream"]): StreamViewType | null {
    if (stream === undefined || stream === false) return null;
    if (stream === true) return "NEW_AND_OLD_IMAGES";
    const view = String(stream).toUpperCase() as StreamViewType;
    if (!STREAM_TYPES.includes(view)) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: stream ${JSON.stringify(stream)} is not a stream view. Fix: use true or one of ${STREAM_TYPES.join(", ")}.`);
    }
    return view;
  }
}

/** An ITable (Table.fromTableName and the like) rather than props: it has names but no key schema. */
function isImportedTable(overrides: Record<string, unknown>): boolean {
  return typeof overrides.tableArn === "string" || typeof (overrides as { grantReadData?: unknown }).grantReadData === "function";
}

function isConsumerProps(value: ConsumerDefinition): value is { function: FunctionDefinition } {
  return typeof value === "object" && value !== null && !(value instanceof SstFunction) && "function" in value;
}
