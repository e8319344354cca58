import * as sst from "@serverless-stack/resources";

export default class NotesStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    // Every route needs a SigV4-signed request; in production users get their keys from the identity pool.
    const api = new sst.Api(this, "Api", {
      defaultAuthorizationType: sst.ApiAuthorizationType.AWS_IAM,
      routes: {
        "GET /me": "src/me.main",
        "POST /notes": "src/notes.create",
        "GET /notes/{id}": "src/notes.get",
        "GET /status": { function: "src/status.main", authorizationType: sst.ApiAuthorizationType.NONE },
      },
    });

    const auth = new sst.Auth(this, "Auth", {
      cognito: { userPool: { signInAliases: { email: true } } },
    });
    auth.attachPermissionsForAuthUsers([api]);

    this.addOutputs({
      ApiEndpoint: api.url,
      Region: scope.region,
      UserPoolId: auth.cognitoUserPool.userPoolId,
      UserPoolClientId: auth.cognitoUserPoolClient.userPoolClientId,
      IdentityPoolId: auth.cognitoCfnIdentityPool.ref,
    });
  }
}
