import * as sst from "@serverless-stack/resources";

export default class UsersStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const avatars = new sst.Function(this, "Avatars", {
      srcPath: "services/users",
      handler: "avatar.main",
      bundle: {
        loader: { ".txt": "text", ".svg": "text" },
        externalModules: ["aws-sdk"],
      },
      environment: { AVATAR_STYLE: "initials" },
      permissions: ["s3", "dynamodb:GetItem"],
      memorySize: 512,
    });

    const api = new sst.Api(this, "Api", {
      routes: {
        "GET /users/{id}/avatar": avatars,
        "GET /build": "src/build.main",
        "GET /sdk": {
          function: {
            handler: "src/sdk.main",
            bundle: { externalModules: ["aws-sdk"] },
          },
        },
      },
    });

    this.addOutputs({ ApiEndpoint: api.url, AvatarFunction: avatars.functionName });
  }
}
