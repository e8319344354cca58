import * as sst from "@serverless-stack/resources";

export default class EventsStack extends sst.Stack {
  public readonly topic: sst.Topic;

  constructor(scope: sst.App, id: string, props?: sst.StackProps) {
    super(scope, id, props);
    this.topic = new sst.Topic(this, "PostPublished", {
      subscribers: ["src/posts/notify.main"],
    });
  }
}
