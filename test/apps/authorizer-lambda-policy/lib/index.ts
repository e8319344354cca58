import * as sst from "@serverless-stack/resources";
import OrdersStack from "./OrdersStack";

export default function main(app: sst.App): void {
  new OrdersStack(app, "orders");
}
