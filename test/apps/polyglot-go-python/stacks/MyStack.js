import * as lambda from "@aws-cdk/aws-lambda";
import * as sst from "@serverless-stack/resources";

export default class MyStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const api = new sst.Api(this, "Api", {
      routes: {
        "GET /lists": "api/lists/main.go",
        "GET /lists/{id}": { function: { handler: "api/lists", runtime: lambda.Runtime.GO_1_X } },
        "POST /score": { function: { srcPath: "services/py", handler: "handler.main", runtime: "python3.8" } },
        "GET /status": { function: { handler: "src/status.main", runtime: lambda.Runtime.NODEJS_14_X } },
      },
    });

    this.addOutputs({ ApiEndpoint: api.url });
  }
}
