import type { TableManifest } from "../manifest/manifest.js";

type Projection = TableManifest["globalIndexes"][number]["projection"];

/** DynamoDB's KeySchema for a partition key and optional sort key. */
function keySchema(partitionKey: string, sortKey: string | null): Array<{ AttributeName: string; KeyType: "HASH" | "RANGE" }> {
  return [{ AttributeName: partitionKey, KeyType: "HASH" as const }, ...(sortKey === null ? [] : [{ AttributeName: sortKey, KeyType: "RANGE" as const }])];
}

function projection(value: Projection): Record<string, unknown> {
  return value.type === "INCLUDE" ? { ProjectionType: "INCLUDE", NonKeyAttributes: [...value.nonKeyAttributes] } : { ProjectionType: value.type };
}

/**
 * The CreateTable input for a table of the manifest, as CDK would deploy it for SST: on-demand billing, key
 * attributes only in AttributeDefinitions (DynamoDB refuses definitions no key uses). Streams are not asked
 * of the server: Gatehouse produces stream records itself (see docs/tables.md).
 */
export function createTableInput(table: TableManifest): Record<string, unknown> {
  const used = new Set<string>([table.partitionKey]);
  if (table.sortKey !== null) used.add(table.sortKey);
  for (const index of table.globalIndexes) {
    used.add(index.partitionKey);
    if (index.sortKey !== null) used.add(index.sortKey);
  }
  for (const index of table.localIndexes) used.add(index.sortKey);
  return {
    TableName: table.tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...used].map((name) => ({ AttributeName: name, AttributeType: table.attributes[name] ?? "S" })),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.globalIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: projection(index.projection),
          })),
        }
      : {}),
    ...(table.localIndexes.length > 0
      ? {
          LocalSecondaryIndexes: table.localIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(table.partitionKey, index.sortKey),
            Projection: projection(index.projection),
          })),
        }
      : {}),
  };
}

/**
 * The parts of a table definition that the server fixes at creation: key schema, attribute types and
 * indexes, in a canonical form, so a stored table (DescribeTable) and a manifest table compare as text.
 */
export function definitionShape(input: Record<string, any>): string {
  const sortByName = <T extends Record<string, any>>(list: T[] | undefined, key: string): T[] =>
    [...(list ?? [])].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
  const index = (entry: Record<string, any>) => ({
    name: entry.IndexName,
    keys: entry.KeySchema.map((key: Record<string, string>) => [key.AttributeName, key.KeyType]),
    projection: [entry.Projection?.ProjectionType ?? "ALL", [...(entry.Projection?.NonKeyAttributes ?? [])].sort()],
  });
  return JSON.stringify({
    attributes: sortByName(input.AttributeDefinitions, "AttributeName").map((a) => [a.AttributeName, a.AttributeType]),
    keys: input.KeySchema.map((key: Record<string, string>) => [key.AttributeName, key.KeyType]),
    global: sortByName(input.GlobalSecondaryIndexes, "IndexName").map(index),
    local: sortByName(input.LocalSecondaryIndexes, "IndexName").map(index),
  });
}

/** The primary key's shape only: items can move to a table with other indexes, not to one with other keys. */
export function primaryKeyShape(input: Record<string, any>): string {
  const keys = input.KeySchema.map((key: Record<string, string>) => key.AttributeName) as string[];
  const types = keys.map((name) => (input.AttributeDefinitions as Array<Record<string, string>>).find((a) => a.AttributeName === name)?.AttributeType);
  return JSON.stringify(input.KeySchema.map((key: Record<string, string>, i: number) => [key.AttributeName, key.KeyType, types[i]]));
}
