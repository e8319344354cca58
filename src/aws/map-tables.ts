import type { Table } from "aws-cdk-lib/aws-dynamodb";
import type { TableManifest } from "../manifest/manifest.js";
import { tableArn, tableStreamArn } from "../manifest/table-arns.js";
import type { SynthContext } from "./synth-context.js";

/**
 * One DynamoDB table per manifest table, in its stack, as SST creates it (docs/aws-target.md, "Tables"): the
 * manifest's name, keys with their types, indexes, stream, on-demand billing and point-in-time recovery;
 * removed with the stage. The table's local ARNs now name the real table in grants and environments.
 */
export function mapTables(ctx: SynthContext): void {
  for (const table of ctx.manifest.tables) {
    const created = mapTable(ctx, table);
    ctx.tables.set(table.id, created);
    const region = ctx.manifest.app.region;
    ctx.addLocalName(tableArn(region, table.tableName), created.tableArn);
    if (created.tableStreamArn) ctx.addLocalName(tableStreamArn(region, table.tableName), created.tableStreamArn);
  }
}

function mapTable(ctx: SynthContext, table: TableManifest): Table {
  const { core, dynamodb } = ctx.cdk;
  const attribute = (name: string) => ({ name, type: attributeType(ctx, table.attributes[name] ?? "S") });
  const created = new dynamodb.Table(ctx.stack(table.stackId), table.constructId, {
    tableName: table.tableName,
    partitionKey: attribute(table.partitionKey),
    sortKey: table.sortKey ? attribute(table.sortKey) : undefined,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    stream: table.stream ? dynamodb.StreamViewType[table.stream] : undefined,
    removalPolicy: core.RemovalPolicy.DESTROY,
  });
  for (const index of table.globalIndexes) {
    created.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: attribute(index.partitionKey),
      sortKey: index.sortKey ? attribute(index.sortKey) : undefined,
      ...projection(ctx, index.projection),
    });
  }
  for (const index of table.localIndexes) {
    created.addLocalSecondaryIndex({ indexName: index.name, sortKey: attribute(index.sortKey), ...projection(ctx, index.projection) });
  }
  return created;
}

/** Each stream consumer reads the table's stream from the latest record (SST's default starting position). */
export function mapTableConsumers(ctx: SynthContext): void {
  const { lambda, eventSources } = ctx.cdk;
  for (const table of ctx.manifest.tables) {
    const created = ctx.tables.get(table.id);
    if (!created) throw new Error(`internal: no table "${table.id}"`);
    for (const consumer of table.consumers) {
      ctx.function(consumer.functionId).addEventSource(new eventSources.DynamoEventSource(created, { startingPosition: lambda.StartingPosition.LATEST }));
    }
  }
}

function attributeType(ctx: SynthContext, type: "S" | "N" | "B") {
  const { AttributeType } = ctx.cdk.dynamodb;
  return type === "N" ? AttributeType.NUMBER : type === "B" ? AttributeType.BINARY : AttributeType.STRING;
}

function projection(ctx: SynthContext, given: TableManifest["globalIndexes"][number]["projection"]) {
  const { ProjectionType } = ctx.cdk.dynamodb;
  if (given.type === "INCLUDE") return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: given.nonKeyAttributes };
  return { projectionType: given.type === "KEYS_ONLY" ? ProjectionType.KEYS_ONLY : ProjectionType.ALL };
}
