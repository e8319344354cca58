import type { Logger } from "../log.js";
import type { TableManifest } from "../manifest/manifest.js";
import { DynamoDbCallError, callDynamoDb } from "./dynamodb-call.js";
import type { AttributeMap } from "./stream-records.js";
import { createTableInput, definitionShape, primaryKeyShape } from "./table-definition.js";

// How long to wait for the server to finish creating or deleting a table (it takes one turn of its event
// loop): at most 2500 × 2 ms.
const SETTLE_ATTEMPTS = 2500;
const SETTLE_PAUSE_MS = 2;
// DynamoDB's limit on the items of one BatchWriteItem.
const BATCH_WRITE_LIMIT = 25;

/**
 * Brings the server's tables in line with `tables`: creates missing ones, and rebuilds (items kept) one whose
 * indexes changed, since the server cannot add or drop an index in place. A table whose primary key changed
 * keeps its old definition and the user is told; tables no longer declared keep their data.
 */
export async function syncTables(endpoint: string, tables: TableManifest[], logger: Logger): Promise<void> {
  for (const table of tables) {
    const wanted = createTableInput(table);
    const existing = await describeTable(endpoint, table.tableName);
    if (existing === null) {
      await createTable(endpoint, wanted);
    } else if (definitionShape(existing) !== definitionShape(wanted)) {
      if (primaryKeyShape(existing) !== primaryKeyShape(wanted)) {
        logger.warn(
          `Table ${table.tableName}: its primary key changed; the local table keeps the old key and its items. Fix: run \`gatehouse remove\` for this stage to start the table afresh.`,
        );
      } else {
        const kept = await rebuildTable(endpoint, wanted);
        logger.info(`Table ${table.tableName}: indexes updated (${kept} item(s) kept)`);
      }
    }
  }
}

/** The table's description, or null when there is no such table. */
async function describeTable(endpoint: string, tableName: string): Promise<Record<string, any> | null> {
  try {
    return (await callDynamoDb(endpoint, "DescribeTable", { TableName: tableName })).Table ?? null;
  } catch (err) {
    if (err instanceof DynamoDbCallError && err.type === "ResourceNotFoundException") return null;
    throw err;
  }
}

async function createTable(endpoint: string, input: Record<string, any>): Promise<void> {
  await callDynamoDb(endpoint, "CreateTable", input);
  await settle(endpoint, input.TableName, "ACTIVE");
}

/**
 * Waits until the table is ACTIVE (or gone, for null). The server finishes creating and deleting a table a
 * moment after answering, even with no delay configured; until then writes to it fail.
 */
async function settle(endpoint: string, tableName: string, wanted: "ACTIVE" | null): Promise<void> {
  for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
    const status = (await describeTable(endpoint, tableName))?.TableStatus ?? null;
    if (status === wanted) return;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_PAUSE_MS));
  }
  throw new Error(`internal: table ${tableName} did not become ${wanted ?? "deleted"} in the local DynamoDB server`);
}

/** Recreates a table with a new definition, copying its items across; returns how many were kept. */
async function rebuildTable(endpoint: string, wanted: Record<string, any>): Promise<number> {
  const items: AttributeMap[] = [];
  let start: unknown;
  do {
    const page = await callDynamoDb(endpoint, "Scan", { TableName: wanted.TableName, ...(start ? { ExclusiveStartKey: start } : {}) });
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  await callDynamoDb(endpoint, "DeleteTable", { TableName: wanted.TableName });
  await settle(endpoint, wanted.TableName, null);
  await createTable(endpoint, wanted);
  for (let i = 0; i < items.length; i += BATCH_WRITE_LIMIT) {
    const batch = items.slice(i, i + BATCH_WRITE_LIMIT).map((item) => ({ PutRequest: { Item: item } }));
    await callDynamoDb(endpoint, "BatchWriteItem", { RequestItems: { [wanted.TableName]: batch } });
  }
  return items.length;
}
