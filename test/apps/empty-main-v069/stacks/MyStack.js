import * as sst from "@serverless-stack/resources";
import { HttpJwtAuthorizer } from "@aws-cdk/aws-apigatewayv2-authorizers-alpha";

export default class MyStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const api = new sst.Api(this, "Api", {
      defaultAuthorizer: new HttpJwtAuthorizer("Authorizer", "https://myorg.us.auth0.com/", {
        jwtAudience: ["UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif"],
      }),
      defaultAuthorizationType: sst.ApiAuthorizationType.JWT,
      routes: {
        "GET /private": "src/private.main",
        "GET /public": { function: "src/public.main", authorizationType: sst.ApiAuthorizationType.NONE },
      },
    });

    this.addOutputs({ ApiEndpoint: api.url });
  }
}
