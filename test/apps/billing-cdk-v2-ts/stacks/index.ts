import * as sst from "@serverless-stack/resources";
import BillingStack from "./BillingStack";

export default function main(app: sst.App): void {
  app.setDefaultFunctionProps({
    runtime: "nodejs14.x",
    srcPath: "backend",
    bundle: { format: "esm" },
  });
  new BillingStack(app, "billing");
}
