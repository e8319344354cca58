/**
 * What an SST app's stacks import. `@serverless-stack/resources`, the CDK apigatewayv2 authorizer packages,
 * `aws-cdk-lib` and `@aws-cdk/core` all resolve here at build time, so apps run with none of them installed.
 */
export { Api, ApiAuthorizationType } from "./api.js";
export { App } from "./app.js";
export { Auth } from "./auth.js";
export { Duration } from "./duration.js";
export { SstFunction as Function } from "./function.js";
export { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from "./http-jwt-authorizer.js";
export { Stack } from "./stack.js";
export { Table, TableFieldType } from "./table.js";

/** CDK's CorsHttpMethod values, as stacks pass them in `cors.allowMethods`. */
export const CorsHttpMethod = {
  ANY: "*",
  DELETE: "DELETE",
  GET: "GET",
  HEAD: "HEAD",
  OPTIONS: "OPTIONS",
  PATCH: "PATCH",
  POST: "POST",
  PUT: "PUT",
} as const;

/** CDK's RemovalPolicy; removal is per stage here, so the value is informational. */
export const RemovalPolicy = { DESTROY: "destroy", RETAIN: "retain", SNAPSHOT: "snapshot" } as const;
