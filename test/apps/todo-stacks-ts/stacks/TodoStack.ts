import { Duration, RemovalPolicy, Tags, CfnOutput } from "aws-cdk-lib";
import * as sst from "@serverless-stack/resources";

export class TodoStack extends sst.Stack {
  constructor(scope: sst.App, id: string, props?: sst.StackProps) {
    super(scope, id, props);

    const api = new sst.Api(this, "TodoApi", {
      defaultFunctionProps: {
        timeout: Duration.seconds(20),
        environment: { STAGE: scope.stage, REGION: this.region },
      },
      cors: { allowMethods: ["GET", "POST"], allowOrigins: ["https://app.example.com"] },
      routes: {
        "GET  /todos":         "todos.list",
        "POST /todos":         "todos.create",
        "GET  /todos/{id}":    "todos.get",
        "GET  /info":          "info.handler",
      },
    });

    Tags.of(this).add("service", "todo");
    Tags.of(api).add("component", "api");

    // Kept for the future bucket of attachments
    const policy = RemovalPolicy.DESTROY;

    new CfnOutput(this, "ApiUrl", { value: api.url, description: `Todo API (${policy})` });
    new CfnOutput(this, "HttpApiId", { value: api.httpApi.apiId });
    this.addOutputs({ FunctionCount: String(this.getAllFunctions().length) });
  }
}
