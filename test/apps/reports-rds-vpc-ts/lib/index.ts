import * as sst from "@serverless-stack/resources";
import NetworkStack from "./NetworkStack";
import ReportsStack from "./ReportsStack";

export default function main(app: sst.App): void {
  app.setDefaultFunctionProps({ runtime: "nodejs14.x" });
  const network = new NetworkStack(app, "network");
  new ReportsStack(app, "reports", { vpc: network.vpc, cluster: network.cluster });
}
