import * as sst from "@serverless-stack/resources";
import OrdersStack from "./OrdersStack";

export default function main(app: sst.App): void {
  app.setDefaultFunctionProps({ runtime: "nodejs14.x" });
  new OrdersStack(app, "orders");
}
