import { DynamoDbCallError, callDynamoDb } from "./dynamodb-call.js";
import type { AttributeMap } from "./stream-records.js";

/**
 * DynamoDB transactions (TransactWriteItems, TransactGetItems), which the local server lacks, built from its
 * single-item operations (see docs/tables.md, "Transactions"). The caller runs one write transaction at a
 * time with its other observed writes; a failed step undoes the steps before it from the items as they were.
 */

/** One item a transaction wrote: its table, key, and the item before and after (null when absent). */
export interface TransactedItem {
  tableName: string;
  key: AttributeMap;
  before: AttributeMap | null;
  after: AttributeMap | null;
}

export type TransactionOutcome = { ok: true; body: Record<string, unknown>; items: TransactedItem[] } | { ok: false; status: number; body: Record<string, unknown> };

// DynamoDB's limit on the actions of one transaction.
const MAX_ACTIONS = 100;
const ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";

function failure(type: string, message: string, extra: Record<string, unknown> = {}): TransactionOutcome {
  return { ok: false, status: 400, body: { __type: `${ERROR_PREFIX}${type}`, message, ...extra } };
}

/** The key attribute names of a table, from the server. */
async function keyNames(endpoint: string, tableName: string, cache: Map<string, string[]>): Promise<string[]> {
  let names = cache.get(tableName);
  if (!names) {
    const table = (await callDynamoDb(endpoint, "DescribeTable", { TableName: tableName })).Table;
    names = (table.KeySchema as Array<{ AttributeName: string }>).map((key) => key.AttributeName);
    cache.set(tableName, names);
  }
  return names;
}

async function getItem(endpoint: string, tableName: string, key: AttributeMap): Promise<AttributeMap | null> {
  const answer = await callDynamoDb(endpoint, "GetItem", { TableName: tableName, Key: key, ConsistentRead: true });
  return (answer.Item as AttributeMap | undefined) ?? null;
}

interface Step {
  kind: "Put" | "Update" | "Delete" | "ConditionCheck";
  params: Record<string, any>;
  tableName: string;
  key: AttributeMap;
}

/** The expression fields a step passes on to the single-item operation. */
function expressionFields(params: Record<string, any>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of ["ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues"]) {
    if (params[name] !== undefined) fields[name] = params[name];
  }
  return fields;
}

/** Runs a TransactWriteItems request; all of it takes effect, or none. */
export async function transactWrite(endpoint: string, input: Record<string, any>): Promise<TransactionOutcome> {
  const actions = input?.TransactItems;
  if (!Array.isArray(actions) || actions.length === 0 || actions.length > MAX_ACTIONS) {
    return failure("ValidationException", `TransactItems must hold 1 to ${MAX_ACTIONS} actions.`);
  }
  const cache = new Map<string, string[]>();
  const steps: Step[] = [];
  const seen = new Set<string>();
  for (const action of actions) {
    const kind = (["Put", "Update", "Delete", "ConditionCheck"] as const).find((name) => action?.[name] !== undefined);
    if (!kind) return failure("ValidationException", "Each transaction action needs one of Put, Update, Delete or ConditionCheck.");
    const params = action[kind] as Record<string, any>;
    let names: string[];
    try {
      names = await keyNames(endpoint, params.TableName, cache);
    } catch (err) {
      if (err instanceof DynamoDbCallError) return failure(err.type, "Requested resource not found");
      throw err;
    }
    const source = (kind === "Put" ? params.Item : params.Key) ?? {};
    const key = Object.fromEntries(names.map((name) => [name, source[name]]));
    const id = JSON.stringify([params.TableName, key]);
    if (seen.has(id)) return failure("ValidationException", "Transaction request cannot include multiple operations on one item");
    seen.add(id);
    steps.push({ kind, params, tableName: params.TableName, key });
  }
  const before = await Promise.all(steps.map((step) => getItem(endpoint, step.tableName, step.key)));
  for (let i = 0; i < steps.length; i++) {
    try {
      await runStep(endpoint, steps[i], before[i]);
    } catch (err) {
      if (!(err instanceof DynamoDbCallError)) throw err;
      await undo(endpoint, steps.slice(0, i), before);
      if (err.type !== "ConditionalCheckFailedException") return failure(err.type, err.detail);
      const reasons = steps.map((_, j) => (j === i ? { Code: "ConditionalCheckFailed", Message: "The conditional request failed" } : { Code: "None" }));
      return failure(
        "TransactionCanceledException",
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(", ")}]`,
        { CancellationReasons: reasons },
      );
    }
  }
  const after = await Promise.all(steps.map((step) => getItem(endpoint, step.tableName, step.key)));
  const items = steps
    .map((step, i) => ({ tableName: step.tableName, key: step.key, before: before[i], after: after[i] }))
    .filter((_, i) => steps[i].kind !== "ConditionCheck");
  return { ok: true, body: {}, items };
}

async function runStep(endpoint: string, step: Step, before: AttributeMap | null): Promise<void> {
  const { params, tableName, key } = step;
  const expressions = expressionFields(params);
  if (step.kind === "Put") await callDynamoDb(endpoint, "PutItem", { TableName: tableName, Item: params.Item, ...expressions });
  else if (step.kind === "Delete") await callDynamoDb(endpoint, "DeleteItem", { TableName: tableName, Key: key, ...expressions });
  else if (step.kind === "Update") {
    await callDynamoDb(endpoint, "UpdateItem", { TableName: tableName, Key: key, UpdateExpression: params.UpdateExpression, ...expressions });
  } else if (before !== null) {
    // A condition check changes nothing: putting the item back as it was, under the condition, tests it.
    await callDynamoDb(endpoint, "PutItem", { TableName: tableName, Item: before, ...expressions });
  } else {
    // …and deleting an absent item, under the condition, tests it against no item.
    await callDynamoDb(endpoint, "DeleteItem", { TableName: tableName, Key: key, ...expressions });
  }
}

/** Puts the items of the steps that ran back as they were. */
async function undo(endpoint: string, ran: Step[], before: Array<AttributeMap | null>): Promise<void> {
  for (let i = ran.length - 1; i >= 0; i--) {
    const { tableName, key } = ran[i];
    const item = before[i];
    if (item === null) await callDynamoDb(endpoint, "DeleteItem", { TableName: tableName, Key: key });
    else await callDynamoDb(endpoint, "PutItem", { TableName: tableName, Item: item });
  }
}

/** Runs a TransactGetItems request: each item as stored, in request order. */
export async function transactGet(endpoint: string, input: Record<string, any>): Promise<TransactionOutcome> {
  const actions = input?.TransactItems;
  if (!Array.isArray(actions) || actions.length === 0 || actions.length > MAX_ACTIONS) {
    return failure("ValidationException", `TransactItems must hold 1 to ${MAX_ACTIONS} actions.`);
  }
  const responses: Array<Record<string, unknown>> = [];
  for (const action of actions) {
    const get = action?.Get as Record<string, any> | undefined;
    if (!get) return failure("ValidationException", "Each TransactGetItems action needs Get.");
    try {
      const answer = await callDynamoDb(endpoint, "GetItem", {
        TableName: get.TableName,
        Key: get.Key,
        ConsistentRead: true,
        ...(get.ProjectionExpression ? { ProjectionExpression: get.ProjectionExpression } : {}),
        ...(get.ExpressionAttributeNames ? { ExpressionAttributeNames: get.ExpressionAttributeNames } : {}),
      });
      responses.push(answer.Item ? { Item: answer.Item } : {});
    } catch (err) {
      if (err instanceof DynamoDbCallError) return failure(err.type, err.detail);
      throw err;
    }
  }
  return { ok: true, body: { Responses: responses }, items: [] };
}
