import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { type CliProcess, pollUntil, startCli } from "../support/cli-process.js";
import { endpointIn, isolatedHost } from "../support/host-env.js";

// The apps run where they are, so their SDK imports resolve from this repository's node_modules; each run
// uses a stage of its own, removed at the end.
const APPS = new URL("../apps/", import.meta.url).pathname;
const V2_APP = join(APPS, "notes-table-sdk-v2");
const V3_APP = join(APPS, "notes-table-sdk-v3");
// Generous: the machine may be busy; nothing here measures speed.
const START_TIMEOUT_MS = 90_000;
const STREAM_TIMEOUT_MS = 30_000;

const host = isolatedHost();
const running = new Set<CliProcess>();
const stages: Array<[string, string]> = [];
after(async () => {
  for (const dev of running) await dev.stop();
  for (const [app, stage] of stages) {
    await host.run(["remove", "--stage", stage, "--yes"], app);
    rmSync(join(app, ".gatehouse", stage), { recursive: true, force: true });
  }
  host.cleanup();
});

function newStage(app: string): string {
  const stage = `e2e${randomBytes(4).toString("hex")}`;
  stages.push([app, stage]);
  return stage;
}

/** Starts `gatehouse dev` for the app and stage; resolves with its Api URL and local DynamoDB endpoint. */
async function startDev(app: string, stage: string): Promise<{ dev: CliProcess; api: string; dynamoDb: string }> {
  const dev = startCli(["dev", "--stage", stage, "--port", "0", "--idp-port", "0"], app, host.env);
  running.add(dev);
  await dev.waitFor(/Ready in \d+ ms/, START_TIMEOUT_MS);
  const tables = /Tables \(local DynamoDB at (http:\/\/127\.0\.0\.1:\d+)\)/.exec(dev.output());
  assert.ok(tables, `dev names the local DynamoDB endpoint:\n${dev.output()}`);
  return { dev, api: endpointIn(dev.output()), dynamoDb: tables[1] };
}

async function stopDev(dev: CliProcess): Promise<void> {
  assert.equal(await dev.stop(), 0, dev.output());
  running.delete(dev);
}

async function requestJson(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...(init?.headers ?? {}) } });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : JSON.parse(text) };
}

/** A client of the local endpoint, with local credentials and no metadata lookups, as the brief requires. */
function localClient(endpoint: string, region: string): DynamoDBClient {
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  return new DynamoDBClient({ endpoint, region, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
}

describe("sst.Table under gatehouse dev", () => {
  test("SDK v2 DocumentClient handlers: data persists across requests and restarts, the stream consumer sees writes, remove deletes the data", async () => {
    const stage = newStage(V2_APP);
    let { dev, api, dynamoDb } = await startDev(V2_APP, stage);
    const tableName = `${stage}-notes-v2-Notes`;

    // The table is real DynamoDB API: a stock SDK client finds it, with its GSI.
    const client = localClient(dynamoDb, "us-east-1");
    const listed = await client.send(new ListTablesCommand({}));
    assert.ok(listed.TableNames?.includes(tableName), `tables: ${listed.TableNames}`);
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    assert.deepEqual(
      described.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName),
      ["byCreatedAt"],
    );
    client.destroy();

    const created = await requestJson(`${api}/notes`, { method: "POST", body: JSON.stringify({ content: "first note" }) });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const noteId = created.body.noteId as string;
    assert.deepEqual((await requestJson(`${api}/notes/${noteId}`)).body, created.body, "the next request reads what the first wrote");
    const listedNotes = await requestJson(`${api}/notes`);
    assert.deepEqual(
      listedNotes.body.map((note: { noteId: string }) => note.noteId),
      [noteId],
      "a query on the GSI finds it",
    );

    // The consumer writes an audit entry for each stream record it is given.
    const inserted = JSON.parse(await pollUntil(`${api}/notes/${noteId}/audit`, (body) => body.includes("INSERT"), STREAM_TIMEOUT_MS));
    assert.equal(inserted.length, 1);
    assert.equal(inserted[0].eventName, "INSERT");
    assert.equal(inserted[0].eventSource, "aws:dynamodb");
    assert.equal(inserted[0].newContent, "first note");
    assert.equal(inserted[0].oldContent, null);
    assert.equal(inserted[0].streamViewType, "NEW_AND_OLD_IMAGES");
    assert.match(inserted[0].fromArn, new RegExp(`^arn:aws:dynamodb:us-east-1:\\d{12}:table/${tableName}/stream/`));

    await stopDev(dev);
    ({ dev, api } = await startDev(V2_APP, stage));
    assert.deepEqual((await requestJson(`${api}/notes/${noteId}`)).body, created.body, "the note survives a restart of dev");

    assert.equal((await requestJson(`${api}/notes/${noteId}`, { method: "DELETE" })).status, 200);
    const removed = JSON.parse(await pollUntil(`${api}/notes/${noteId}/audit`, (body) => body.includes("REMOVE"), STREAM_TIMEOUT_MS));
    const removal = removed.find((entry: { eventName: string }) => entry.eventName === "REMOVE");
    assert.equal(removal.oldContent, "first note", "a removal carries the old image");
    assert.equal(removal.newContent, null);
    assert.ok(BigInt(removal.sequence) > BigInt(inserted[0].sequence), "sequence numbers grow");

    // A second note, then remove: the stage's data goes with it.
    const second = await requestJson(`${api}/notes`, { method: "POST", body: JSON.stringify({ content: "second" }) });
    await stopDev(dev);
    const removedStage = await host.run(["remove", "--stage", stage, "--yes"], V2_APP);
    assert.equal(removedStage.code, 0, removedStage.out);
    assert.equal(existsSync(join(V2_APP, ".gatehouse", stage)), false);
    ({ dev, api } = await startDev(V2_APP, stage));
    assert.equal((await requestJson(`${api}/notes/${second.body.noteId}`)).status, 404, "after remove the table starts empty");
    assert.deepEqual((await requestJson(`${api}/notes`)).body, []);
    await stopDev(dev);
  });

  test("SDK v3 lib-dynamodb handlers in TypeScript: put, get and a GSI query, kept across a restart", async () => {
    const stage = newStage(V3_APP);
    let { dev, api } = await startDev(V3_APP, stage);
    const put = await requestJson(`${api}/notes/n1`, { method: "PUT", body: JSON.stringify({ text: "hello", tag: "red" }) });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.region, "eu-west-1", "the handler's SDK runs in the app's region");
    await requestJson(`${api}/notes/n2`, { method: "PUT", body: JSON.stringify({ text: "other", tag: "blue" }) });
    assert.deepEqual((await requestJson(`${api}/notes/n1`)).body, put.body);
    assert.deepEqual(
      (await requestJson(`${api}/tags/red`)).body.map((item: { sk: string }) => item.sk),
      ["n1"],
    );
    await stopDev(dev);
    ({ dev, api } = await startDev(V3_APP, stage));
    assert.deepEqual((await requestJson(`${api}/notes/n1`)).body, put.body, "the item survives a restart of dev");
    assert.equal((await requestJson(`${api}/notes/missing`)).status, 404);
    await stopDev(dev);
  });
});

describe("sst.Table on the host", () => {
  test("a deployed stage serves its tables from the host's state, keeps them across a host restart, and remove deletes them", async () => {
    const stage = newStage(V3_APP);
    const deployed = await host.run(["deploy", "--stage", stage], V3_APP);
    assert.equal(deployed.code, 0, deployed.out);
    const api = endpointIn(deployed.out);
    const put = await requestJson(`${api}/notes/h1`, { method: "PUT", body: JSON.stringify({ text: "hosted", tag: "green" }) });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const dataDir = join(host.home, "state", "notes-v3", stage, "dynamodb");
    assert.ok(existsSync(dataDir), "the data lives in the host's state for the stage");

    assert.equal((await host.run(["host", "stop"], V3_APP)).code, 0);
    const again = await host.run(["deploy", "--stage", stage], V3_APP);
    assert.equal(again.code, 0, again.out);
    assert.equal(endpointIn(again.out), api, "a deployed stage keeps its port");
    assert.deepEqual((await requestJson(`${api}/notes/h1`)).body, put.body, "the item survives a restart of the host");
    assert.deepEqual(
      (await requestJson(`${api}/tags/green`)).body.map((item: { sk: string }) => item.sk),
      ["h1"],
    );

    const removed = await host.run(["remove", "--stage", stage, "--yes"], V3_APP);
    assert.equal(removed.code, 0, removed.out);
    assert.equal(existsSync(dataDir), false, "remove deletes the stage's table data");
  });
});
