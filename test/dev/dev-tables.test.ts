import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startDev } from "../../src/dev/dev-session.js";
import type { Logger } from "../../src/log.js";
import { stackApp } from "../support/temp-app.js";

const cleanups: Array<() => void | Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };

const ENV_HANDLER = `export async function main() {
  const pick = ["TABLE_NAME", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_EC2_METADATA_DISABLED", "AWS_REGION"];
  return { statusCode: 200, body: JSON.stringify(Object.fromEntries(pick.map((name) => [name, process.env[name] ?? null]))) };
}
`;

function stackWith(tableProps: string | null): string {
  const table = tableProps === null ? "" : `const table = new sst.Table(this, "Notes", ${tableProps});`;
  const env = tableProps === null ? "{}" : "{ TABLE_NAME: table.tableName }";
  return `${table}
    new sst.Api(this, "Api", { defaultFunctionProps: { environment: ${env} }, routes: { "GET /env": "src/env.main" } });`;
}

describe("tables under gatehouse dev", () => {
  test("no server for an app without tables; a table added by a stack edit is created and handlers are pointed at it; a new index reaches it", async () => {
    const app = stackApp(stackWith(null), { "src/env.js": ENV_HANDLER });
    cleanups.push(app.remove);
    const session = await startDev({ cwd: app.root, port: 0, idpPort: 0, logger: quiet });
    cleanups.push(() => session.close());
    const api = Object.values(session.endpoints())[0];
    assert.equal(session.tablesEndpoint(), null, "an app without tables starts no DynamoDB server");
    const before = await (await fetch(`${api}/env`)).json();
    assert.equal(before.AWS_ENDPOINT_URL_DYNAMODB, null);
    assert.equal(before.AWS_EC2_METADATA_DISABLED, "true", "handlers never ask an instance metadata service");
    assert.ok(before.AWS_ACCESS_KEY_ID && before.AWS_SECRET_ACCESS_KEY, "handlers always have local credentials");

    const reloaded = session.nextReload();
    app.write("stacks/index.js", stackSource(stackWith(`{ fields: { pk: sst.TableFieldType.STRING }, primaryIndex: { partitionKey: "pk" } }`)));
    await reloaded;
    const endpoint = session.tablesEndpoint();
    assert.ok(endpoint, "the first table starts the server");
    const after1 = await (await fetch(`${api}/env`)).json();
    assert.equal(after1.TABLE_NAME, "dev-test-app-Notes");
    assert.equal(after1.AWS_ENDPOINT_URL_DYNAMODB, endpoint);
    assert.equal(after1.AWS_REGION, "us-east-1");

    process.env.AWS_EC2_METADATA_DISABLED = "true";
    const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: after1.AWS_ACCESS_KEY_ID, secretAccessKey: after1.AWS_SECRET_ACCESS_KEY } });
    cleanups.push(() => client.destroy());
    const created = await client.send(new DescribeTableCommand({ TableName: "dev-test-app-Notes" }));
    assert.deepEqual(created.Table?.KeySchema, [{ AttributeName: "pk", KeyType: "HASH" }]);

    const reindexed = session.nextReload();
    app.write(
      "stacks/index.js",
      stackSource(stackWith(`{ fields: { pk: "S", n: "N" }, primaryIndex: { partitionKey: "pk" }, globalIndexes: { byN: { partitionKey: "n" } } }`)),
    );
    await reindexed;
    const updated = await client.send(new DescribeTableCommand({ TableName: "dev-test-app-Notes" }));
    assert.deepEqual(
      updated.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName),
      ["byN"],
    );
  });
});

/** The stacks entry of `stackApp` with another stack body. */
function stackSource(body: string): string {
  return `import * as sst from "@serverless-stack/resources";
class TestStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    ${body}
  }
}
export default function main(app) { new TestStack(app, "test-stack"); }
`;
}
