import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { TableManifest } from "../../src/manifest/manifest.js";
import type { InvokeOutcome, Invoker } from "../../src/runtime/types.js";
import { StageTables } from "../../src/serve/stage-tables.js";

const dir = mkdtempSync(join(tmpdir(), "gatehouse-stage-tables-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Records invocations; the first one fails, and each waits until released, so later writes queue up. */
class GatedInvoker implements Invoker {
  calls: Array<{ functionId: string; keys: string[] }> = [];
  private releases: Array<() => void> = [];
  async invoke(functionId: string, event: unknown): Promise<InvokeOutcome> {
    const records = (event as { Records: Array<{ dynamodb: { Keys: { id: { S: string } } } }> }).Records;
    this.calls.push({ functionId, keys: records.map((record) => record.dynamodb.Keys.id.S) });
    await new Promise<void>((resolve) => this.releases.push(resolve));
    return this.calls.length === 1 ? { ok: false, kind: "handler_error", message: "boom" } : { ok: true, payload: "null" };
  }
  release(): void {
    for (const resolve of this.releases.splice(0)) resolve();
  }
}

const table: TableManifest = {
  id: "s/T",
  constructId: "T",
  stackId: "s",
  tableName: "dev-app-T",
  attributes: { id: "S" },
  partitionKey: "id",
  sortKey: null,
  globalIndexes: [],
  localIndexes: [],
  stream: "NEW_IMAGE",
  consumers: [{ name: "audit", functionId: "s-T_Consumer_audit" }],
};

test("stream records reach each consumer in write order, batched while it runs; a failed batch is reported and the next still delivered", async () => {
  const errors: string[] = [];
  const invoker = new GatedInvoker();
  const tables = new StageTables({ dataDir: dir, logger: { info: () => {}, warn: () => {}, error: (line) => errors.push(line) }, invoker });
  await tables.apply([table], "us-east-1");
  const endpoint = tables.endpoint()!;
  assert.equal(tables.environment().AWS_ENDPOINT_URL_DYNAMODB, endpoint);
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  try {
    await client.send(new PutItemCommand({ TableName: "dev-app-T", Item: { id: { S: "1" } } }));
    await client.send(new PutItemCommand({ TableName: "dev-app-T", Item: { id: { S: "2" } } }));
    await client.send(new PutItemCommand({ TableName: "dev-app-T", Item: { id: { S: "3" } } }));
    // The first batch is still running: the next two writes wait, then go together.
    for (let i = 0; i < 100 && invoker.calls.length < 2; i++) {
      invoker.release();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    invoker.release();
    await tables.settled();
    assert.deepEqual(invoker.calls, [
      { functionId: "s-T_Consumer_audit", keys: ["1"] },
      { functionId: "s-T_Consumer_audit", keys: ["2", "3"] },
    ]);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /consumer "audit" failed on 1 stream record/);
  } finally {
    client.destroy();
    await tables.close();
  }
});
