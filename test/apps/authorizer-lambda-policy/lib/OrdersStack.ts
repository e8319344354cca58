import * as sst from "@serverless-stack/resources";
import * as cdk from "@aws-cdk/core";
import { HttpLambdaAuthorizer } from "@aws-cdk/aws-apigatewayv2-authorizers";

export default class OrdersStack extends sst.Stack {
  constructor(scope: sst.App, id: string, props?: sst.StackProps) {
    super(scope, id, props);

    const authorizer = new HttpLambdaAuthorizer({
      authorizerName: "PolicyAuthorizer",
      handler: new sst.Function(this, "Authorizer", { handler: "src/authorizer.handler" }),
      identitySource: ["$request.header.Authorization"],
      resultsCacheTtl: cdk.Duration.minutes(5),
    });

    const api = new sst.Api(this, "Api", {
      defaultAuthorizationType: sst.ApiAuthorizationType.CUSTOM,
      defaultAuthorizer: authorizer,
      routes: {
        "GET /orders": "src/orders.list",
        "GET /orders/{id}": "src/orders.get",
        "DELETE /orders/{id}": "src/orders.remove",
        "GET /health": { function: "src/orders.health", authorizationType: sst.ApiAuthorizationType.NONE },
      },
    });

    this.addOutputs({ ApiEndpoint: api.url });
  }
}
