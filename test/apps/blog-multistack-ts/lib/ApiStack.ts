import * as cdk from "@aws-cdk/core";
import * as sst from "@serverless-stack/resources";

interface ApiStackProps extends sst.StackProps {
  readonly topic: sst.Topic;
}

export default class ApiStack extends sst.Stack {
  constructor(scope: sst.App, id: string, props: ApiStackProps) {
    super(scope, id, props);

    const api = new sst.Api(this, "BlogApi", {
      defaultFunctionProps: {
        environment: { TOPIC_ARN: props.topic.topicArn },
      },
      routes: {
        "GET\t/posts": "src/posts/list.main",
        "GET\t/posts/{slug}/assets/{path+}": "src/posts/asset.main",
      },
    });
    api.addRoutes(this, {
      "DELETE /posts/{slug}": "src/posts/remove.main",
    });
    api.attachPermissions([props.topic]);

    cdk.Tag.add(this, "blog", "true");
    this.addOutputs({
      ApiEndpoint: api.url,
      Routes: api.routes.join(", "),
    });
  }
}
