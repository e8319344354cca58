import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { Match } from "aws-cdk-lib/assertions";
import { tempApp } from "../support/temp-app.js";
import { logicalIdOf, type SynthesizedApp, synthesize } from "./synth-support.js";

const STACK = `import * as sst from "@serverless-stack/resources";

export default function main(app) {
  const stack = new sst.Stack(app, "data");
  const table = new sst.Table(stack, "Notes", {
    fields: { userId: sst.TableFieldType.STRING, noteId: sst.TableFieldType.STRING, createdAt: sst.TableFieldType.NUMBER },
    primaryIndex: { partitionKey: "userId", sortKey: "noteId" },
    globalIndexes: { byCreated: { partitionKey: "userId", sortKey: "createdAt", indexProps: { projectionType: "KEYS_ONLY" } } },
    localIndexes: { byTitle: { sortKey: "title" } },
    stream: true,
    consumers: { audit: "src/audit.main" },
  });
  const receipts = new sst.Queue(stack, "Receipts", { consumer: { handler: "src/receipt.main", timeout: 60 } });
  const orders = new sst.Topic(stack, "Orders", { subscribers: ["src/inventory.main", receipts] });
  new sst.Cron(stack, "Nightly", { schedule: "cron(15 2 * * ? *)", job: "src/report.main" });
  const api = new sst.Api(stack, "Api", {
    defaultFunctionProps: { environment: { TABLE_NAME: table.tableName, QUEUE_URL: receipts.sqsQueue.queueUrl, TOPIC_ARN: orders.topicArn } },
    routes: { "GET /notes": "src/notes.main", "GET /open": "src/open.main" },
  });
  api.attachPermissionsToRoute("GET /notes", [table]);
  api.attachPermissionsToRoute("GET /open", [orders, [table, "grantReadData"]]);
  stack.addOutputs({ ApiEndpoint: api.url });
}
`;

const handler = `export async function main() { return { statusCode: 200, body: "ok" }; }\n`;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }>;

describe("synth of an app with a table, a queue, a topic and a cron", () => {
  const app = tempApp({
    "sst.json": JSON.stringify({ name: "res-app", region: "eu-west-1" }),
    "stacks/index.js": STACK,
    ...Object.fromEntries(["audit", "receipt", "inventory", "report", "notes", "open"].map((name) => [`src/${name}.js`, handler])),
  });
  after(() => app.remove());
  let synth: SynthesizedApp;
  const fnId = (handlerPath: string) => {
    const fn = Object.values(synth.manifest.functions).find((candidate) => candidate.handler === handlerPath);
    assert.ok(fn, `no function ${handlerPath}`);
    return logicalIdOf(synth.json, "AWS::Lambda::Function", (props) => props.Handler === `${fn.id}.main`);
  };
  const only = (type: string) => logicalIdOf(synth.json, type, () => true);

  before(async () => {
    synth = await synthesize(app.root, "prod");
  });

  test("the table has the manifest's name, typed keys, indexes, stream, on-demand billing, and goes with the stage", () => {
    synth.template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Delete",
      Properties: {
        TableName: "prod-res-app-Notes",
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: "userId", KeyType: "HASH" },
          { AttributeName: "noteId", KeyType: "RANGE" },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: "userId", AttributeType: "S" },
          { AttributeName: "createdAt", AttributeType: "N" },
          { AttributeName: "title", AttributeType: "S" },
        ]),
        GlobalSecondaryIndexes: [
          {
            IndexName: "byCreated",
            KeySchema: [
              { AttributeName: "userId", KeyType: "HASH" },
              { AttributeName: "createdAt", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
        LocalSecondaryIndexes: [Match.objectLike({ IndexName: "byTitle", Projection: { ProjectionType: "ALL" } })],
        StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
      },
    });
  });

  test("the stream consumer reads the table's stream from the latest record", () => {
    synth.template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [only("AWS::DynamoDB::Table"), "StreamArn"] },
      FunctionName: { Ref: fnId("src/audit.main") },
      StartingPosition: "LATEST",
    });
  });

  test("the queue is named as SST names it, hides messages as long as its consumer may run, and feeds it", () => {
    const queue = only("AWS::SQS::Queue");
    synth.template.hasResourceProperties("AWS::SQS::Queue", { QueueName: "prod-res-app-Receipts", VisibilityTimeout: 60 });
    synth.template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [queue, "Arn"] },
      FunctionName: { Ref: fnId("src/receipt.main") },
    });
  });

  test("the topic is named as SST names it; its subscriber function and subscribed queue receive it", () => {
    const topic = only("AWS::SNS::Topic");
    synth.template.hasResourceProperties("AWS::SNS::Topic", { TopicName: "prod-res-app-Orders" });
    synth.template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "lambda",
      TopicArn: { Ref: topic },
      Endpoint: { "Fn::GetAtt": [fnId("src/inventory.main"), "Arn"] },
    });
    synth.template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "sqs",
      TopicArn: { Ref: topic },
      Endpoint: { "Fn::GetAtt": [only("AWS::SQS::Queue"), "Arn"] },
    });
    synth.template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      Principal: "sns.amazonaws.com",
      FunctionName: { "Fn::GetAtt": [fnId("src/inventory.main"), "Arn"] },
    });
  });

  test("the cron is a schedule rule invoking its job", () => {
    const job = fnId("src/report.main");
    synth.template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "cron(15 2 * * ? *)",
      Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [job, "Arn"] } })],
    });
    synth.template.hasResourceProperties("AWS::Lambda::Permission", { Principal: "events.amazonaws.com", FunctionName: { "Fn::GetAtt": [job, "Arn"] } });
  });

  test("a table (or topic, or [table, grant method]) given to attachPermissions is a grant on the real resource, only for that route", () => {
    const table = only("AWS::DynamoDB::Table");
    const tableGrant = Match.objectLike({
      Action: "dynamodb:*",
      Effect: "Allow",
      Resource: [{ "Fn::GetAtt": [table, "Arn"] }, { "Fn::Join": ["", [{ "Fn::GetAtt": [table, "Arn"] }, "/*"]] }],
    });
    const roleOf = (fn: string) =>
      ((synth.json.Resources as Resources)[fn].Properties.Role as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0];
    synth.template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: roleOf(fnId("src/notes.main")) }],
      PolicyDocument: { Statement: Match.arrayWith([tableGrant]) },
    });
    const open = Object.values(synth.template.findResources("AWS::IAM::Policy")).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes(roleOf(fnId("src/open.main"))),
    );
    assert.ok(!JSON.stringify(open).includes("dynamodb:*"), "the route without the permission got the grant");
    synth.template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: roleOf(fnId("src/open.main")) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: "sns:*", Effect: "Allow", Resource: { Ref: only("AWS::SNS::Topic") } })]) },
    });
    // [table, "grantReadData"]: CDK's read actions on the table and its indexes.
    synth.template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: roleOf(fnId("src/open.main")) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(["dynamodb:Query", "dynamodb:GetItem"]),
            Resource: [{ "Fn::GetAtt": [table, "Arn"] }, { "Fn::Join": ["", [{ "Fn::GetAtt": [table, "Arn"] }, "/index/*"]] }],
          }),
        ]),
      },
    });
    assert.ok(!JSON.stringify(synth.json).includes("123456789012"), "a local ARN or URL reached the template");
  });

  test("environment values naming the queue and topic name the real ones", () => {
    synth.template.hasResourceProperties("AWS::Lambda::Function", {
      Handler: Match.stringLikeRegexp("\\.main$"),
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: "prod-res-app-Notes",
          QUEUE_URL: { Ref: only("AWS::SQS::Queue") },
          TOPIC_ARN: { Ref: only("AWS::SNS::Topic") },
        }),
      },
    });
  });

  test("synthesizing twice gives byte-identical templates", async () => {
    const again = await synthesize(app.root, "prod", `${app.root}/second-out`);
    const first = readFileSync(`${synth.assemblyDir}/${synth.stackName}.template.json`);
    const second = readFileSync(`${again.assemblyDir}/${again.stackName}.template.json`);
    assert.ok(first.equals(second), "the two templates differ");
  });
});

describe("a bucket, which synth does not make, and a grant on it", () => {
  const app = tempApp({
    "sst.json": JSON.stringify({ name: "bucket-app", region: "eu-west-1" }),
    "stacks/index.js": `import * as sst from "@serverless-stack/resources";
export default function main(app) {
  const stack = new sst.Stack(app, "files");
  const bucket = new sst.Bucket(stack, "Uploads");
  const api = new sst.Api(stack, "Api", { routes: { "GET /": "src/hello.main" } });
  api.attachPermissions([bucket]);
}
`,
    "src/hello.js": handler,
  });
  after(() => app.remove());

  test("are refused with a coded error rather than deployed without them", async () => {
    await assert.rejects(synthesize(app.root, "prod"), (err: { code?: string }) => {
      assert.equal(err.code, "GH_ERR_AWS_UNSUPPORTED");
      return true;
    });
  });
});
