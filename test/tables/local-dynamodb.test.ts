import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Logger } from "../../src/log.js";
import type { TableManifest } from "../../src/manifest/manifest.js";
import { LocalDynamoDb } from "../../src/tables/local-dynamodb.js";
import type { StreamRecord } from "../../src/tables/stream-records.js";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-dynamodb-"));
  dirs.push(dir);
  return dir;
}

class RecordingLogger implements Logger {
  lines: string[] = [];
  info = (line: string) => void this.lines.push(line);
  warn = (line: string) => void this.lines.push(line);
  error = (line: string) => void this.lines.push(line);
}

function table(overrides: Partial<TableManifest> = {}): TableManifest {
  return {
    id: "s/Notes",
    constructId: "Notes",
    stackId: "s",
    tableName: "dev-app-Notes",
    attributes: { userId: "S", noteId: "S", createdAt: "N" },
    partitionKey: "userId",
    sortKey: "noteId",
    globalIndexes: [],
    localIndexes: [],
    stream: null,
    consumers: [],
    ...overrides,
  };
}

async function start(dir: string, tables: TableManifest[], records: Array<[string, StreamRecord]> = [], logger = new RecordingLogger()) {
  const server = await LocalDynamoDb.start({
    dataDir: dir,
    region: "eu-west-1",
    logger,
    onRecords: (name, list) => records.push(...list.map((record) => [name, record] as [string, StreamRecord])),
  });
  await server.applyTables(tables);
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  const raw = new DynamoDBClient({ endpoint: server.endpoint, region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const client = DynamoDBDocumentClient.from(raw);
  return {
    server,
    raw,
    client,
    async close() {
      raw.destroy();
      await server.close();
    },
  };
}

describe("the local DynamoDB server", () => {
  test("binds loopback, creates the manifest's tables and keeps their items across restarts", async () => {
    const dir = dataDir();
    const first = await start(dir, [table()]);
    assert.match(first.server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    await first.client.send(new PutCommand({ TableName: "dev-app-Notes", Item: { userId: "u", noteId: "1", content: "kept" } }));
    await first.close();

    const second = await start(dir, [table()]);
    const { Item } = await second.client.send(new GetCommand({ TableName: "dev-app-Notes", Key: { userId: "u", noteId: "1" } }));
    assert.equal(Item?.content, "kept");
    await second.close();
  });

  test("closed while writes are in flight: the requests being answered finish first, nothing throws, the data is there on restart", async () => {
    const dir = dataDir();
    const first = await start(dir, [table()]);
    const acknowledged: string[] = [];
    const writes = Array.from({ length: 300 }, (_, i) =>
      first.client.send(new PutCommand({ TableName: "dev-app-Notes", Item: { userId: "u", noteId: String(i) } })).then(
        () => void acknowledged.push(String(i)),
        () => {},
      ),
    );
    // Close as soon as the first write is answered: hundreds are still on their way through both servers.
    await Promise.race(writes);
    await first.close();
    await Promise.all(writes);
    // A database operation cut off by the close would throw from dynalite's callback around now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await start(dir, [table()]);
    for (const noteId of acknowledged) {
      const { Item } = await second.client.send(new GetCommand({ TableName: "dev-app-Notes", Key: { userId: "u", noteId } }));
      assert.equal(Item?.noteId, noteId, `acknowledged write ${noteId} is stored`);
    }
    assert.ok(acknowledged.length >= 1);
    await second.close();
  });

  test("a new index rebuilds the table with its items; a changed primary key is refused with a warning", async () => {
    const dir = dataDir();
    const first = await start(dir, [table()]);
    await first.client.send(new PutCommand({ TableName: "dev-app-Notes", Item: { userId: "u", noteId: "1", createdAt: 5 } }));
    await first.close();

    const withIndex = table({ globalIndexes: [{ name: "byCreatedAt", partitionKey: "userId", sortKey: "createdAt", projection: { type: "ALL", nonKeyAttributes: [] } }] });
    const second = await start(dir, [withIndex]);
    const { Items } = await second.client.send(
      new QueryCommand({ TableName: "dev-app-Notes", IndexName: "byCreatedAt", KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "u" } }),
    );
    assert.deepEqual(
      Items?.map((item) => item.noteId),
      ["1"],
    );
    await second.close();

    const logger = new RecordingLogger();
    const third = await start(dir, [table({ partitionKey: "noteId", sortKey: null })], [], logger);
    assert.ok(logger.lines.some((line) => line.includes("primary key changed")), logger.lines.join("\n"));
    const described = await third.raw.send(new DescribeTableCommand({ TableName: "dev-app-Notes" }));
    assert.equal(described.Table?.KeySchema?.[0].AttributeName, "userId", "the table keeps its key and items");
    await third.close();
  });

  test("writes to a table with a stream produce DynamoDB's records: insert, modify, remove, and none for no change", async () => {
    const records: Array<[string, StreamRecord]> = [];
    const local = await start(dataDir(), [table({ stream: "NEW_AND_OLD_IMAGES" }), table({ id: "s/Other", constructId: "Other", tableName: "dev-app-Other" })], records);
    const TableName = "dev-app-Notes";
    const Key = { userId: "u", noteId: "1" };
    await local.client.send(new PutCommand({ TableName, Item: { ...Key, content: "a" } }));
    await local.client.send(new PutCommand({ TableName, Item: { ...Key, content: "a" } }));
    await local.client.send(new UpdateCommand({ TableName, Key, UpdateExpression: "SET content = :c", ExpressionAttributeValues: { ":c": "b" } }));
    await assert.rejects(local.client.send(new PutCommand({ TableName, Item: { ...Key, content: "c" }, ConditionExpression: "attribute_not_exists(userId)" })));
    await local.client.send(new DeleteCommand({ TableName, Key }));
    await local.client.send(new DeleteCommand({ TableName, Key }));
    await local.client.send(
      new BatchWriteCommand({
        RequestItems: {
          [TableName]: [{ PutRequest: { Item: { userId: "u", noteId: "2" } } }, { PutRequest: { Item: { userId: "u", noteId: "3" } } }],
          "dev-app-Other": [{ PutRequest: { Item: { userId: "u", noteId: "9" } } }],
        },
      }),
    );
    await local.close();

    assert.ok(records.every(([name]) => name === TableName), "a table without a stream produces no records");
    assert.deepEqual(
      records.map(([, record]) => [record.eventName, record.dynamodb.Keys.noteId]),
      [
        ["INSERT", { S: "1" }],
        ["MODIFY", { S: "1" }],
        ["REMOVE", { S: "1" }],
        ["INSERT", { S: "2" }],
        ["INSERT", { S: "3" }],
      ],
    );
    const [insert, modify, remove] = records.map(([, record]) => record);
    assert.deepEqual(insert.dynamodb.NewImage, { userId: { S: "u" }, noteId: { S: "1" }, content: { S: "a" } });
    assert.equal(insert.dynamodb.OldImage, undefined);
    assert.equal(modify.dynamodb.OldImage?.content && (modify.dynamodb.OldImage.content as { S: string }).S, "a");
    assert.equal(modify.dynamodb.NewImage?.content && (modify.dynamodb.NewImage.content as { S: string }).S, "b");
    assert.equal(remove.dynamodb.NewImage, undefined);
    assert.equal(remove.eventSource, "aws:dynamodb");
    assert.equal(remove.awsRegion, "eu-west-1");
    assert.equal(remove.dynamodb.StreamViewType, "NEW_AND_OLD_IMAGES");
    assert.match(remove.eventSourceARN, /^arn:aws:dynamodb:eu-west-1:\d{12}:table\/dev-app-Notes\/stream\//);
    const sequence = records.map(([, record]) => BigInt(record.dynamodb.SequenceNumber));
    assert.ok(
      sequence.every((value, i) => i === 0 || value > sequence[i - 1]),
      "sequence numbers grow",
    );
  });

  test("one process at a time holds a stage's data: a second server is refused with GH_ERR_STATE_IN_USE, a stale claim is taken over", async () => {
    const dir = dataDir();
    const first = await start(dir, [table()]);
    await assert.rejects(start(dir, [table()]), (err: { code: string }) => err.code === "GH_ERR_STATE_IN_USE");
    await first.close();
    const second = await start(dir, [table()]);
    await second.close();
    // A claim by a process that no longer runs (pid 2^22 + 1 is above Linux's pid limit).
    writeFileSync(join(dir, "gatehouse.pid"), String(2 ** 22 + 1));
    const third = await start(dir, [table()]);
    await third.close();
  });

  test("transactions: all of a write takes effect or none, with stream records for what changed; gets read each item", async () => {
    const records: Array<[string, StreamRecord]> = [];
    const local = await start(dataDir(), [table({ stream: "NEW_IMAGE" }), table({ id: "s/Other", constructId: "Other", tableName: "dev-app-Other" })], records);
    const TableName = "dev-app-Notes";
    try {
      await local.client.send(new PutCommand({ TableName, Item: { userId: "u", noteId: "1", n: 1 } }));
      await local.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName, Key: { userId: "u", noteId: "1" }, UpdateExpression: "SET n = n + :one", ExpressionAttributeValues: { ":one": 1 } } },
            { Put: { TableName: "dev-app-Other", Item: { userId: "u", noteId: "9" }, ConditionExpression: "attribute_not_exists(userId)" } },
            { ConditionCheck: { TableName: "dev-app-Other", Key: { userId: "u", noteId: "8" }, ConditionExpression: "attribute_not_exists(userId)" } },
          ],
        }),
      );
      const cancelled = await local.client
        .send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName, Item: { userId: "u", noteId: "2" } } },
              { Delete: { TableName, Key: { userId: "u", noteId: "1" }, ConditionExpression: "n = :zero", ExpressionAttributeValues: { ":zero": 0 } } },
            ],
          }),
        )
        .then(
          () => assert.fail("the transaction should be cancelled"),
          (err: { name: string; CancellationReasons?: Array<{ Code: string }> }) => err,
        );
      assert.equal(cancelled.name, "TransactionCanceledException");
      assert.deepEqual(
        cancelled.CancellationReasons?.map((reason) => reason.Code),
        ["None", "ConditionalCheckFailed"],
      );
      const got = await local.client.send(
        new TransactGetCommand({
          TransactItems: [
            { Get: { TableName, Key: { userId: "u", noteId: "1" } } },
            { Get: { TableName, Key: { userId: "u", noteId: "2" } } },
            { Get: { TableName: "dev-app-Other", Key: { userId: "u", noteId: "9" } } },
          ],
        }),
      );
      assert.deepEqual(
        got.Responses?.map((response) => response.Item ?? null),
        [{ userId: "u", noteId: "1", n: 2 }, null, { userId: "u", noteId: "9" }],
        "the update applied; the cancelled put left nothing behind",
      );
    } finally {
      await local.close();
    }
    assert.deepEqual(
      records.map(([, record]) => [record.eventName, record.dynamodb.NewImage?.n]),
      [
        ["INSERT", { N: "1" }],
        ["MODIFY", { N: "2" }],
      ],
      "the committed transaction's change is streamed; the cancelled one's is not",
    );
  });

  test("a KEYS_ONLY stream carries keys without images", async () => {
    const records: Array<[string, StreamRecord]> = [];
    const local = await start(dataDir(), [table({ stream: "KEYS_ONLY" })], records);
    await local.client.send(new PutCommand({ TableName: "dev-app-Notes", Item: { userId: "u", noteId: "1", content: "x" } }));
    await local.close();
    assert.equal(records.length, 1);
    assert.deepEqual(records[0][1].dynamodb.Keys, { userId: { S: "u" }, noteId: { S: "1" } });
    assert.equal(records[0][1].dynamodb.NewImage, undefined);
    assert.equal(records[0][1].dynamodb.OldImage, undefined);
  });
});
