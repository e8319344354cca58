import type { AttributeMap, StreamTarget } from "./stream-records.js";

const WRITE_OPERATIONS = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"]);

/**
 * The keys of the items a DynamoDB request writes in tables that have a stream, by table name; null when it
 * writes none (a read, a write to other tables, a body that is not JSON). `streams` holds the tables with a
 * stream and their key attributes.
 */
export function touchedItems(operation: string, body: Buffer, streams: Map<string, StreamTarget>): Map<string, AttributeMap[]> | null {
  if (!WRITE_OPERATIONS.has(operation)) return null;
  let input: Record<string, any>;
  try {
    input = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  const touched = new Map<string, AttributeMap[]>();
  const add = (tableName: unknown, item: unknown) => {
    const target = typeof tableName === "string" ? streams.get(tableName) : undefined;
    if (!target || item === null || typeof item !== "object") return;
    const key = Object.fromEntries(target.keyNames.map((name) => [name, (item as AttributeMap)[name]]));
    // A write without its whole key fails at the server; there is nothing to observe.
    if (target.keyNames.some((name) => key[name] === undefined)) return;
    const list = touched.get(tableName as string) ?? [];
    list.push(key);
    touched.set(tableName as string, list);
  };
  if (operation === "PutItem") add(input.TableName, input.Item);
  else if (operation === "UpdateItem" || operation === "DeleteItem") add(input.TableName, input.Key);
  else if (input.RequestItems && typeof input.RequestItems === "object") {
    for (const [tableName, requests] of Object.entries(input.RequestItems)) {
      if (!Array.isArray(requests)) continue;
      for (const entry of requests) add(tableName, entry?.PutRequest?.Item ?? entry?.DeleteRequest?.Key);
    }
  }
  return touched.size > 0 ? touched : null;
}
