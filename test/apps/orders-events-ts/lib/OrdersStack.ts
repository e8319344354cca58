import * as cdk from "@aws-cdk/core";
import * as sst from "@serverless-stack/resources";

export default class OrdersStack extends sst.Stack {
  constructor(scope: cdk.Construct, id: string, props?: sst.StackProps) {
    super(scope, id, props);

    // Receipts are sent from a queue so that slow mail servers do not hold up orders
    const receipts = new sst.Queue(this, "Receipts", {
      consumer: "src/receipt.handler",
    });

    // Every order placed is published to the topic
    const orders = new sst.Topic(this, "Orders", {
      subscribers: ["src/inventory.handler", { function: "src/analytics.handler" }, receipts],
    });

    // A nightly report, and a warm-up ping
    new sst.Cron(this, "NightlyReport", {
      schedule: "cron(15 2 * * ? *)",
      job: "src/report.handler",
    });
    new sst.Cron(this, "WarmUp", {
      schedule: cdk.Duration.minutes(5),
      job: { function: { handler: "src/report.handler", environment: { KIND: "warmup" } } },
    });

    const api = new sst.Api(this, "Api", {
      defaultFunctionProps: {
        environment: { TOPIC_ARN: orders.topicArn, QUEUE_URL: receipts.sqsQueue.queueUrl },
      },
      routes: { "POST /orders": "src/order.handler" },
    });
    api.attachPermissions([orders]);

    this.addOutputs({ ApiEndpoint: api.url, TopicArn: orders.snsTopic.topicArn });
  }
}
