import { App } from "@serverless-stack/resources";
import { TodoStack } from "./TodoStack";

export default function main(app: App): void {
  app.setDefaultFunctionProps({
    runtime: "nodejs14.x",
    srcPath: "src",
  });

  new TodoStack(app, "todo");
}
