import { aws_iam as iam, CfnOutput } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as sst from "@serverless-stack/resources";
import { Invoicing } from "./Invoicing";

export default class BillingStack extends sst.Stack {
  constructor(scope: sst.App, id: string, props?: sst.StackProps) {
    super(scope, id, props);

    const invoicing = new Invoicing(this, "Invoicing", { currency: "EUR" });

    const api = new sst.Api(this, "Api", {
      routes: {
        "GET /invoices": "invoices.list",
        "ANY /webhooks/{provider}": { function: { handler: "webhooks.receive", runtime: lambda.Runtime.NODEJS_14_X } },
        "GET /status": { url: "https://status.example.com/billing" },
        $default: "fallback.main",
      },
    });
    api.addRoutes(this, { "POST /invoices/run": invoicing.fn });
    api.attachPermissionsToRoute("GET /invoices", [
      new iam.PolicyStatement({ actions: ["ses:SendEmail"], effect: iam.Effect.ALLOW, resources: ["*"] }),
    ]);

    const root = this.node.root as sst.App;
    new CfnOutput(this, "InvoiceFunctionArn", { value: invoicing.fn.functionArn });
    new CfnOutput(this, "Endpoint", { value: api.url, exportName: `${root.stage}-billing-endpoint` });
    this.addOutputs({ WebhookFunction: api.getFunction("ANY /webhooks/{provider}")!.functionName });
  }
}
