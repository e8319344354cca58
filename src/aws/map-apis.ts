import type { HttpRouteAuthorizerConfig, IHttpRouteAuthorizer } from "aws-cdk-lib/aws-apigatewayv2";
import type { ApiManifest, CorsManifest } from "../manifest/manifest.js";
import type { CdkModules } from "./cdk-modules.js";
import type { SynthContext } from "./synth-context.js";

/**
 * One HTTP API per manifest Api, named `<stage>-<app>-<id>` as SST names it, with the `$default` stage
 * deploying automatically and CORS as configured. Routes come later (`mapRoutes`), once the functions
 * exist: a function's environment may name its Api's url.
 */
export function mapApis(ctx: SynthContext): void {
  const { apigw } = ctx.cdk;
  const { app } = ctx.manifest;
  for (const api of ctx.manifest.apis) {
    const httpApi = new apigw.HttpApi(ctx.stack(api.stackId), api.constructId, {
      apiName: `${app.stage}-${app.name}-${api.constructId}`,
      createDefaultStage: true,
      corsPreflight: api.cors ? corsPreflight(ctx.cdk, api.cors) : undefined,
    });
    ctx.apis.set(api.id, httpApi);
  }
}

/**
 * Each route with its key, its Lambda integration (which also grants API Gateway the right to invoke the
 * function) and its authorization: the JWT authorizer with the route's scopes, or NONE, stated explicitly.
 */
export function mapRoutes(ctx: SynthContext): void {
  for (const api of ctx.manifest.apis) mapApiRoutes(ctx, api);
}

function mapApiRoutes(ctx: SynthContext, api: ApiManifest): void {
  const { apigw, integrations, authorizers } = ctx.cdk;
  const httpApi = ctx.apis.get(api.id);
  if (!httpApi) throw new Error(`internal: no HTTP API for ${api.id}`);
  const byId = new Map<string, IHttpRouteAuthorizer>();
  for (const [key, authorizer] of Object.entries(api.authorizers)) {
    if (authorizer.type === "JWT") {
      byId.set(
        key,
        new authorizers.HttpJwtAuthorizer(authorizer.id, authorizer.issuer, {
          authorizerName: authorizer.id,
          jwtAudience: authorizer.audience,
          identitySource: [authorizer.identitySource],
        }),
      );
      continue;
    }
    const handler = ctx.functions.get(authorizer.functionId);
    if (!handler) throw new Error(`internal: no function ${authorizer.functionId} for authorizer ${authorizer.id}`);
    // CDK's Lambda authorizer sends payload 2.0 with simple responses and 1.0 with IAM policies, as SST's did.
    byId.set(
      key,
      new authorizers.HttpLambdaAuthorizer(authorizer.id, handler, {
        authorizerName: authorizer.id,
        identitySource: authorizer.identitySource,
        responseTypes: [authorizer.enableSimpleResponses ? authorizers.HttpLambdaResponseType.SIMPLE : authorizers.HttpLambdaResponseType.IAM],
        resultsCacheTtl: ctx.cdk.core.Duration.seconds(authorizer.resultTtlSeconds),
      }),
    );
  }
  const none = new apigw.HttpNoneAuthorizer();
  const iam = new authorizers.HttpIamAuthorizer();
  for (const route of api.routes) {
    const fn = ctx.functions.get(route.functionId);
    if (!fn) throw new Error(`internal: no function ${route.functionId} for route ${route.key}`);
    const routeKey =
      route.method === null || route.path === null
        ? apigw.HttpRouteKey.DEFAULT
        : apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method as keyof typeof apigw.HttpMethod]);
    const authorizer =
      route.authorizationType === "NONE" ? none : route.authorizationType === "AWS_IAM" ? iam : byId.get(route.authorizerId ?? "");
    if (!authorizer) throw new Error(`internal: route ${route.key} names missing authorizer ${route.authorizerId}`);
    new apigw.HttpRoute(httpApi, `Route_${route.key}`, {
      httpApi,
      routeKey,
      integration: new integrations.HttpLambdaIntegration(`Integration_${route.key}`, fn),
      authorizer: authorizer as IHttpRouteAuthorizer & { bind(options: unknown): HttpRouteAuthorizerConfig },
      authorizationScopes: route.authorizationType === "JWT" && route.authorizationScopes.length > 0 ? route.authorizationScopes : undefined,
    });
  }
}

function corsPreflight(cdk: CdkModules, cors: CorsManifest) {
  const list = (values: string[]) => (values.length > 0 ? values : undefined);
  return {
    allowOrigins: list(cors.allowOrigins),
    allowMethods: list(cors.allowMethods)?.map((method) => method as import("aws-cdk-lib/aws-apigatewayv2").CorsHttpMethod),
    allowHeaders: list(cors.allowHeaders),
    exposeHeaders: list(cors.exposeHeaders),
    allowCredentials: cors.allowCredentials || undefined,
    maxAge: cors.maxAge === null ? undefined : cdk.core.Duration.seconds(cors.maxAge),
  };
}
