import * as sst from "@serverless-stack/resources";
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from "@aws-cdk/aws-apigatewayv2-authorizers-alpha";
import { Duration } from "aws-cdk-lib";

export default class ApiStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const authorizerFn = new sst.Function(this, "AuthorizerFn", {
      handler: "src/authorizer.handler",
    });

    const api = new sst.Api(this, "Api", {
      defaultAuthorizationType: sst.ApiAuthorizationType.CUSTOM,
      defaultAuthorizer: new HttpLambdaAuthorizer("TokenAuthorizer", authorizerFn, {
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        resultsCacheTtl: Duration.seconds(30),
      }),
      routes: {
        "GET /private": "src/private.handler",
        "POST /private/notes": "src/private.handler",
        "GET /public": {
          function: "src/public.handler",
          authorizationType: sst.ApiAuthorizationType.NONE,
        },
      },
    });

    this.addOutputs({ ApiEndpoint: api.url });
  }
}
