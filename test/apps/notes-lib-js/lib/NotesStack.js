import * as cdk from "@aws-cdk/core";
import * as sst from "@serverless-stack/resources";

export default class NotesStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    // Create the HTTP API
    const api = new sst.Api(this, "Api", {
      defaultFunctionProps: {
        // .env files reach the stacks, and the stacks pass what functions need
        environment: { GREETING: process.env.GREETING, NOTES_BUCKET: process.env.NOTES_BUCKET, IS_LOCAL_STACKS: process.env.IS_LOCAL || "false" },
      },
      routes: {
        "GET    /notes":      "src/notes/list.main",
        "POST   /notes":      "src/notes/create.main",
        "Get    /notes/{id}": "src/notes/get.main",
        "GET    /hello":      "src/notes/hello.main",
      },
    });

    // Show the API endpoint in the output
    new cdk.CfnOutput(this, "ApiEndpoint", {
      value: api.url,
    });
  }
}
