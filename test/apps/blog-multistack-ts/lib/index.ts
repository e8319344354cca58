import * as cdk from "@aws-cdk/core";
import * as sst from "@serverless-stack/resources";
import EventsStack from "./EventsStack";
import ApiStack from "./ApiStack";

export default function main(app: sst.App): void {
  app.setDefaultFunctionProps((stack: cdk.Stack) => ({
    runtime: "nodejs14.x",
    environment: { STACK_NAME: stack.stackName },
  }));

  const events = new EventsStack(app, "events");
  new ApiStack(app, "api", { topic: events.topic });
}
