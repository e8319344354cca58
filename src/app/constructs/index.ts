/**
 * What an SST app's stacks import. `@serverless-stack/resources`, the CDK apigatewayv2 authorizer packages,
 * `aws-cdk-lib` and `@aws-cdk/core` all resolve here at build time (through app/cdk/cdk-modules.ts, which answers
 * names not exported here), so apps run with none of them installed. Each construct kind registers itself in
 * registry.ts; exporting it here is what makes it importable by name.
 */
export { Api, ApiAuthorizationType } from "./api.js";
export { App } from "./app.js";
export { Auth } from "./auth.js";
export { Duration } from "./duration.js";
export { SstFunction as Function } from "./function.js";
export { HttpJwtAuthorizer } from "./http-jwt-authorizer.js";
export { HttpIamAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from "./http-lambda-authorizer.js";
export { HttpUserPoolAuthorizer } from "./user-pool-authorizer.js";
export { Effect, PolicyStatement } from "./policy-statement.js";
export { Stack } from "./stack.js";
export { Bucket } from "./bucket.js";
export { Cron } from "./cron.js";
export { Queue } from "./queue.js";
export { ReactStaticSite, StaticSite, StaticSiteErrorOptions } from "./static-site.js";
export { Topic } from "./topic.js";
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
