import UsersStack from "./UsersStack";
import info from "build-info";

export default function main(app) {
  // SST calls this as handler.default(app): `this` is this module's exports
  const bound = typeof this === "object" && this !== null && this.default === main;
  app.setDefaultFunctionProps({
    runtime: "nodejs14.x",
    environment: { MAIN_BOUND_TO_MODULE: String(bound), STACKS_BUILT_BY: info.builtBy },
  });
  new UsersStack(app, "users");
}
