import * as lambda from "@aws-cdk/aws-lambda";
import MyStack from "./MyStack";

export default function main(app) {
  app.setDefaultFunctionProps({
    runtime: lambda.Runtime.NODEJS_12_X,
  });

  new MyStack(app, "my-stack");
}
