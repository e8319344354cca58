import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../src/app/load-config.js";
import { synthApp } from "../../src/app/synth-app.js";
import { parseManifest } from "../../src/manifest/parse-manifest.js";
import { stackApp } from "../support/temp-app.js";

const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups) cleanup();
});

const CONSUMER = { "src/consumer.js": "export async function main(event) { return event.Records.length; }\n" };

async function synthStack(body: string, extra: Record<string, string> = {}) {
  const app = stackApp(body, { ...CONSUMER, ...extra });
  cleanups.push(app.remove);
  return (await synthApp(loadConfig(app.root))).manifest;
}

async function synthError(body: string): Promise<{ code: string }> {
  try {
    await synthStack(body);
  } catch (err) {
    return err as { code: string };
  }
  assert.fail("expected the stacks to be refused");
}

describe("sst.Table in the manifest", () => {
  test("records SST 0.x fields, keys, indexes, the stream and its consumer", async () => {
    const manifest = await synthStack(`
      const table = new sst.Table(this, "Notes", {
        fields: { userId: sst.TableFieldType.STRING, noteId: sst.TableFieldType.STRING, createdAt: sst.TableFieldType.NUMBER },
        primaryIndex: { partitionKey: "userId", sortKey: "noteId" },
        globalIndexes: { byCreated: { partitionKey: "userId", sortKey: "createdAt" }, byOwner: { partitionKey: "ownerId", indexProps: { projectionType: "KEYS_ONLY" } } },
        localIndexes: { byTitle: { sortKey: "title" } },
        stream: true,
        consumers: { audit: "src/consumer.main" },
      });
      this.addOutputs({ TableName: table.tableName, TableArn: table.tableArn });
      new sst.Api(this, "Api", { defaultFunctionProps: { environment: { TABLE_NAME: table.tableName } }, routes: { "GET /": "src/hello.main" } });
    `);
    assert.equal(manifest.tables.length, 1);
    const [table] = manifest.tables;
    assert.equal(table.tableName, "dev-test-app-Notes");
    assert.equal(table.id, "test-stack/Notes");
    assert.equal(table.partitionKey, "userId");
    assert.equal(table.sortKey, "noteId");
    // Keys missing from fields are strings, as SST makes them.
    assert.deepEqual(table.attributes, { userId: "S", noteId: "S", createdAt: "N", ownerId: "S", title: "S" });
    assert.deepEqual(table.globalIndexes, [
      { name: "byCreated", partitionKey: "userId", sortKey: "createdAt", projection: { type: "ALL", nonKeyAttributes: [] } },
      { name: "byOwner", partitionKey: "ownerId", sortKey: null, projection: { type: "KEYS_ONLY", nonKeyAttributes: [] } },
    ]);
    assert.deepEqual(table.localIndexes, [{ name: "byTitle", sortKey: "title", projection: { type: "ALL", nonKeyAttributes: [] } }]);
    assert.equal(table.stream, "NEW_AND_OLD_IMAGES");
    assert.equal(table.consumers.length, 1);
    assert.equal(table.consumers[0].name, "audit");
    assert.equal(manifest.functions[table.consumers[0].functionId].handler, "src/consumer.main");
    const outputs = manifest.stacks[0].outputs;
    assert.equal(outputs.TableName, "dev-test-app-Notes");
    assert.equal(outputs.TableArn, "arn:aws:dynamodb:us-east-1:123456789012:table/dev-test-app-Notes");
    const routeFn = manifest.functions[manifest.apis[0].routes[0].functionId];
    assert.equal(routeFn.environment.TABLE_NAME, "dev-test-app-Notes");
    assert.deepEqual(parseManifest(JSON.parse(JSON.stringify(manifest)), "test").tables, manifest.tables, "tables survive the round trip through storage");
  });

  test("accepts the older and newer spellings: secondaryIndexes, lowercase types, consumer lists, stream views, tableName overrides", async () => {
    const manifest = await synthStack(`
      new sst.Table(this, "Old", {
        fields: { pk: "string", n: "number" },
        primaryIndex: { partitionKey: "pk" },
        secondaryIndexes: { byN: { partitionKey: "n", projection: ["a", "b"] } },
        stream: "new_image",
        consumers: ["src/consumer.main"],
        dynamodbTable: { tableName: "custom-name" },
      });
    `);
    const [table] = manifest.tables;
    assert.equal(table.tableName, "custom-name");
    assert.deepEqual(table.attributes, { pk: "S", n: "N" });
    assert.equal(table.sortKey, null);
    assert.deepEqual(table.globalIndexes[0].projection, { type: "INCLUDE", nonKeyAttributes: ["a", "b"] });
    assert.equal(table.stream, "NEW_IMAGE");
    assert.deepEqual(
      table.consumers.map((consumer) => consumer.name),
      ["Consumer_0"],
    );
  });

  test("an app without tables has an empty list, and a stored manifest without the field still reads", async () => {
    const manifest = await synthStack(`new sst.Api(this, "Api", { routes: { "GET /": "src/hello.main" } });`);
    assert.deepEqual(manifest.tables, []);
    const { tables: _, ...older } = manifest;
    assert.deepEqual(parseManifest(older, "old artifact").tables, []);
  });

  for (const [what, body] of [
    ["no fields", `new sst.Table(this, "T", { fields: {}, primaryIndex: { partitionKey: "id" } });`],
    ["no primaryIndex", `new sst.Table(this, "T", { fields: { id: "S" } });`],
    ["an unknown field type", `new sst.Table(this, "T", { fields: { id: "date" }, primaryIndex: { partitionKey: "id" } });`],
    ["consumers without a stream", `new sst.Table(this, "T", { fields: { id: "S" }, primaryIndex: { partitionKey: "id" }, consumers: { c: "src/consumer.main" } });`],
    ["an unknown stream view", `new sst.Table(this, "T", { fields: { id: "S" }, primaryIndex: { partitionKey: "id" }, stream: "everything" });`],
    ["a local index on a table without a sort key", `new sst.Table(this, "T", { fields: { id: "S" }, primaryIndex: { partitionKey: "id" }, localIndexes: { byX: { sortKey: "x" } } });`],
    ["two tables with one name", `new sst.Table(this, "T", { fields: { id: "S" }, primaryIndex: { partitionKey: "id" } }); new sst.Table(this, "U", { fields: { id: "S" }, primaryIndex: { partitionKey: "id" }, dynamodbTable: { tableName: "dev-test-app-T" } });`],
  ] as const) {
    test(`refuses ${what} with GH_ERR_CONSTRUCT_INVALID`, async () => {
      const err = await synthError(body);
      assert.equal(err.code, "GH_ERR_CONSTRUCT_INVALID");
    });
  }
});
