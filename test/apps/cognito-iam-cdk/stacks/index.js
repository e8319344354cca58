import ApiStack from "./ApiStack";

export default function main(app) {
  app.setDefaultFunctionProps({ runtime: "nodejs14.x" });
  new ApiStack(app, "api");
}
