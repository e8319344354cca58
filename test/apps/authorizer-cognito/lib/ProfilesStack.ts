import * as sst from "@serverless-stack/resources";
import { HttpUserPoolAuthorizer } from "@aws-cdk/aws-apigatewayv2-authorizers-alpha";

export default class ProfilesStack extends sst.Stack {
  constructor(scope: sst.App, id: string, props?: sst.StackProps) {
    super(scope, id, props);

    const auth = new sst.Auth(this, "Auth", { cognito: true });

    const api = new sst.Api(this, "Api", {
      defaultAuthorizationType: sst.ApiAuthorizationType.JWT,
      defaultAuthorizer: new HttpUserPoolAuthorizer("UserPoolAuthorizer", auth.cognitoUserPool!, {
        userPoolClients: [auth.cognitoUserPoolClient!],
      }),
      routes: {
        "GET /profile": "src/profile.main",
        "PUT /profile": {
          function: "src/profile.update",
          authorizationScopes: ["aws.cognito.signin.user.admin"],
        },
        "GET /hello": { function: "src/profile.hello", authorizationType: sst.ApiAuthorizationType.NONE },
      },
    });

    this.addOutputs({
      ApiEndpoint: api.url,
      UserPoolId: auth.cognitoUserPool!.userPoolId,
      UserPoolClientId: auth.cognitoUserPoolClient!.userPoolClientId,
    });
  }
}
