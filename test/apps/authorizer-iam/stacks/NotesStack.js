import * as sst from "@serverless-stack/resources";

export default class NotesStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    // Every route needs a SigV4-signed request (users sign in through a Cognito identity pool in production).
    const api = new sst.Api(this, "Api", {
      defaultAuthorizationType: sst.ApiAuthorizationType.AWS_IAM,
      routes: {
        "GET /me": "src/me.main",
        "POST /notes": "src/notes.create",
        "GET /notes/{id}": "src/notes.get",
        "GET /status": { function: "src/status.main", authorizationType: sst.ApiAuthorizationType.NONE },
      },
    });

    this.addOutputs({ ApiEndpoint: api.url });
  }
}
