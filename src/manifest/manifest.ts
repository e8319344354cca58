/**
 * The manifest: a plain, JSON-serializable description of an app for one stage. Constructs produce it;
 * every backend (dev server, host, AWS synth, console) reads it and nothing else.
 *
 * The zod schema below is its definition: the TypeScript types are inferred from it, and a manifest read
 * from disk is validated against it (see read-manifest.ts). This folder does no file, network or process
 * access, so every backend can depend on it.
 */
import { CdkCodeSchema } from "./cdk-code.js";
import { z } from "zod";

/** Bumped whenever a manifest written by an older Gatehouse could be misread by this one. */
export const MANIFEST_VERSION = 2;

/** The AWS account every local resource belongs to (ARNs, `requestContext.accountId`, `app.account`). */
export const LOCAL_ACCOUNT_ID = "123456789012";

export const HttpMethodSchema = z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]);
export type HttpMethod = z.infer<typeof HttpMethodSchema>;

export const AppInfoSchema = z.object({
  name: z.string().min(1),
  stage: z.string().min(1),
  region: z.string().min(1),
  /**
   * Absolute path of the app directory (where sst.json is) on the machine that synthesized it. Every other
   * path in the manifest is relative to it, so the rest of the manifest describes the app wherever it lives.
   */
  root: z.string().min(1),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const StackManifestSchema = z.object({
  /** The id given to `new Stack(app, id)`. */
  id: z.string().min(1),
  /** `<stage>-<app>-<id>`, as SST prints it. */
  name: z.string().min(1),
  /**
   * Output values in the order the stacks declared them (a backend prints and synthesizes them in this
   * order); they may hold tokens (see tokens.ts) that a backend resolves when it prints them.
   */
  outputs: z.record(z.string(), z.string()),
  /** Where the stack was created (`stacks/index.js:9`), for errors a backend raises about it. */
  location: z.string().nullable(),
});
export type StackManifest = z.infer<typeof StackManifestSchema>;

export const RouteManifestSchema = z.object({
  /** The route key as API Gateway spells it: `"GET /pets/{id}"`, `"ANY /{proxy+}"` or `"$default"`. */
  key: z.string().min(1),
  /** `null` for `$default`. */
  method: HttpMethodSchema.nullable(),
  /** `null` for `$default`. */
  path: z.string().nullable(),
  functionId: z.string().min(1),
  /** The stack holding the route's Api. */
  stackId: z.string().min(1),
  /** JWT (JWT or Cognito user pool authorizer), CUSTOM (Lambda authorizer), AWS_IAM (SigV4), NONE. */
  authorizationType: z.enum(["NONE", "JWT", "AWS_IAM", "CUSTOM"]),
  /** Set when authorizationType is JWT or CUSTOM. */
  authorizerId: z.string().nullable(),
  /** The route's own scopes, else the Api's defaults; empty means no scope check. */
  authorizationScopes: z.array(z.string()),
});
export type RouteManifest = z.infer<typeof RouteManifestSchema>;

export const JwtAuthorizerManifestSchema = z.object({
  id: z.string().min(1),
  type: z.literal("JWT"),
  issuer: z.string().min(1),
  audience: z.array(z.string()),
  /** `$request.header.<Name>` or `$request.querystring.<name>`. */
  identitySource: z.string().min(1),
});
export type JwtAuthorizerManifest = z.infer<typeof JwtAuthorizerManifestSchema>;

/** A Lambda (REQUEST) authorizer, as CDK's HttpLambdaAuthorizer or SST's `type: "lambda"` declares it. */
export const LambdaAuthorizerManifestSchema = z.object({
  id: z.string().min(1),
  type: z.literal("REQUEST"),
  /** The authorizer function (a FunctionManifest id). */
  functionId: z.string().min(1),
  /** The event shape sent to the function and the responses it may give (docs/authorizers.md). */
  payloadFormatVersion: z.enum(["1.0", "2.0"]),
  /** `{isAuthorized, context}` answers (2.0 only); otherwise IAM policy answers. */
  enableSimpleResponses: z.boolean(),
  /** `$request.header.<Name>`, `$request.querystring.<name>`, `$context.<var>`, `$stageVariables.<var>`; may be empty. */
  identitySource: z.array(z.string().min(1)),
  /** Seconds a result is cached by identity-source values; 0 turns caching off. */
  resultTtlSeconds: z.number().int().min(0).max(3600),
});
export type LambdaAuthorizerManifest = z.infer<typeof LambdaAuthorizerManifestSchema>;

export const AuthorizerManifestSchema = z.discriminatedUnion("type", [JwtAuthorizerManifestSchema, LambdaAuthorizerManifestSchema]);
export type AuthorizerManifest = z.infer<typeof AuthorizerManifestSchema>;

export const CorsManifestSchema = z.object({
  allowOrigins: z.array(z.string()),
  allowMethods: z.array(z.string()),
  allowHeaders: z.array(z.string()),
  exposeHeaders: z.array(z.string()),
  allowCredentials: z.boolean(),
  /** Seconds; null when not set. */
  maxAge: z.number().nullable(),
});
export type CorsManifest = z.infer<typeof CorsManifestSchema>;

export const ApiManifestSchema = z.object({
  /** Unique within the app: `<stackId>/<constructId>`. */
  id: z.string().min(1),
  /** The construct id given to `new Api(stack, id)`. */
  constructId: z.string().min(1),
  stackId: z.string().min(1),
  routes: z.array(RouteManifestSchema),
  /** Keyed by the authorizer's id. */
  authorizers: z.record(z.string(), AuthorizerManifestSchema),
  cors: CorsManifestSchema.nullable(),
});
export type ApiManifest = z.infer<typeof ApiManifestSchema>;

/** An IAM policy statement, as data (what `new iam.PolicyStatement({...})` was given). */
export const PolicyStatementManifestSchema = z.object({
  effect: z.enum(["Allow", "Deny"]),
  actions: z.array(z.string().min(1)).min(1),
  resources: z.array(z.string().min(1)).min(1),
});
export type PolicyStatementManifest = z.infer<typeof PolicyStatementManifestSchema>;

/**
 * One attached permission (SST's grammar, docs/aws-target.md): `"*"` (everything), a service (`"s3"`), an
 * action (`"s3:GetObject"`), an ARN (`"arn:aws:s3:::bucket/*"`: every action on it), or a policy statement.
 * `{ unsupported }` describes a value with no manifest form yet (a construct); dev ignores permissions, and
 * the AWS target refuses it by name rather than deploy a function without its grant.
 */
export const PermissionManifestSchema = z.union([
  z.string().min(1),
  PolicyStatementManifestSchema,
  z.object({ unsupported: z.string() }),
]);
/** Which construct a function belongs to, so a cloud target can wire its trigger (`sst.Topic` "Events", …). */
export const FunctionOwnerSchema = z.object({
  /** The construct kind as the registry names it: `sst.Api`, `sst.Topic`, `sst.Queue`, `sst.Cron`, `sst.Function`, … */
  kind: z.string().min(1),
  /** The owning construct's manifest id (`<stackId>/<constructId>`), or the function's own for `sst.Function`. */
  id: z.string().min(1),
  stackId: z.string().min(1),
});
export type FunctionOwner = z.infer<typeof FunctionOwnerSchema>;

/** `bundle` options of a Node function that change how it is built (docs/sst-apps.md, "Function props"). */
export const FunctionBundleSchema = z.object({
  /** Left out of the bundle and loaded from node_modules at run time (`externalModules` and `nodeModules`). */
  external: z.array(z.string()),
  /** esbuild loaders by extension, e.g. `{ ".png": "file" }`. */
  loader: z.record(z.string(), z.string()),
  /** Absolute path of a file exporting esbuild `plugins` (sst.json or `bundle.esbuildConfig`), or null. */
  esbuildConfig: z.string().nullable(),
  /** esbuild `define` from `bundle.esbuildConfig`. */
  define: z.record(z.string(), z.string()),
});
export type FunctionBundle = z.infer<typeof FunctionBundleSchema>;

export type PermissionManifest = z.infer<typeof PermissionManifestSchema>;

export const FunctionManifestSchema = z.object({
  /** Unique within the app, stable across rebuilds (derived from the construct path). */
  id: z.string().min(1),
  /** The stack the function was created in. */
  stackId: z.string().min(1),
  /** The construct id (`Lambda_GET_/private` for a route's function, as SST names it). */
  constructId: z.string().min(1),
  /** The handler as written: `"src/private.main"`. */
  handler: z.string().min(1),
  /** The handler's source file, relative to the app root, with forward slashes (`src/private.js`). */
  entry: z.string().min(1),
  /** Name of the exported function. */
  exportName: z.string().min(1),
  /** Lambda-style function name: `<stage>-<app>-<stackId>-<constructId>`, at most 64 characters. */
  functionName: z.string().min(1).max(64),
  /** May hold tokens (e.g. an Api's url), resolved by the backend before the function runs. */
  environment: z.record(z.string(), z.string()),
  /** Seconds (SST default 10). */
  timeout: z.number().positive(),
  /** MB (SST default 1024). */
  memorySize: z.number().int().positive(),
  /** The Lambda runtime as declared (`nodejs14.x`, `go1.x`, `python3.8`), else SST 0.x's default `nodejs12.x`. */
  runtime: z.string().min(1),
  /** Days CloudWatch keeps the function's logs; null when the app did not say (a backend picks). */
  logRetentionDays: z.number().int().positive().nullable(),
  /** Attached permissions, in the order given; `"*"` alone when any level granted everything. */
  permissions: z.array(PermissionManifestSchema),
  /** Where the function was declared (`stacks/MyStack.js:9`). */
  location: z.string().nullable(),
  /** The construct that owns the function; absent in manifests written before it existed. */
  owner: FunctionOwnerSchema.optional(),
  /** How a Node function is bundled; absent means the defaults (nothing external but the runtime's). */
  bundle: FunctionBundleSchema.optional(),
});
export type FunctionManifest = z.infer<typeof FunctionManifestSchema>;

export const AuthManifestSchema = z.object({
  /** Unique within the app: `<stackId>/<constructId>`. */
  id: z.string().min(1),
  constructId: z.string().min(1),
  stackId: z.string().min(1),
  /** Where the construct was created (`stacks/MyStack.js:12`). */
  location: z.string().nullable(),
  applications: z.array(
    z.object({
      name: z.string().min(1),
      /** As given, else derived from app, stage, tenant and application names (stable across redeploys). */
      clientId: z.string().min(1),
      callbackUrls: z.array(z.string()),
      logoutUrls: z.array(z.string()),
      webOrigins: z.array(z.string()),
      grantTypes: z.array(z.string()),
    }),
  ),
  apis: z.array(z.object({ identifier: z.string().min(1), scopes: z.array(z.string()), rbac: z.boolean() })),
});
export type AuthManifest = z.infer<typeof AuthManifestSchema>;

/** DynamoDB attribute types a key may have: string, number, binary. */
export const TableFieldTypeSchema = z.enum(["S", "N", "B"]);

/** How much of an item a stream record carries (DynamoDB's StreamViewType). */
export const StreamViewTypeSchema = z.enum(["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"]);
export type StreamViewType = z.infer<typeof StreamViewTypeSchema>;

/** Which attributes an index copies (DynamoDB's Projection). */
export const IndexProjectionSchema = z.object({
  type: z.enum(["ALL", "KEYS_ONLY", "INCLUDE"]),
  /** Only for INCLUDE. */
  nonKeyAttributes: z.array(z.string()),
});

export const TableManifestSchema = z.object({
  /** Unique within the app: `<stackId>/<constructId>`. */
  id: z.string().min(1),
  constructId: z.string().min(1),
  stackId: z.string().min(1),
  /** `<stage>-<app>-<constructId>` as SST names it, unless the stack set `dynamodbTable.tableName`. */
  tableName: z.string().min(1),
  /** Every attribute a key or index uses, with its type (keys missing from `fields` are strings, as in SST). */
  attributes: z.record(z.string(), TableFieldTypeSchema),
  partitionKey: z.string().min(1),
  sortKey: z.string().nullable(),
  globalIndexes: z.array(
    z.object({ name: z.string().min(1), partitionKey: z.string().min(1), sortKey: z.string().nullable(), projection: IndexProjectionSchema }),
  ),
  localIndexes: z.array(z.object({ name: z.string().min(1), sortKey: z.string().min(1), projection: IndexProjectionSchema })),
  /** Null when the table has no stream. */
  stream: StreamViewTypeSchema.nullable(),
  /** Functions invoked with the stream's records, by consumer name. */
  consumers: z.array(z.object({ name: z.string().min(1), functionId: z.string().min(1) })),
});
export type TableManifest = z.infer<typeof TableManifestSchema>;

const ConstructIdentity = {
  /** Unique within the app: `<stackId>/<constructId>`. */
  id: z.string().min(1),
  constructId: z.string().min(1),
  stackId: z.string().min(1),
};

/** An `sst.Topic`: publishing invokes every subscriber function (and forwards to subscribed queues). */
export const TopicManifestSchema = z.object({
  ...ConstructIdentity,
  topicName: z.string().min(1),
  topicArn: z.string().min(1),
  /** In SST's order (subscribers are positional). */
  subscriberFunctionIds: z.array(z.string()),
  /** Queue manifest ids subscribed to the topic. */
  subscriberQueueIds: z.array(z.string()),
});
export type TopicManifest = z.infer<typeof TopicManifestSchema>;

/** An `sst.Queue` and its one consumer. */
export const QueueManifestSchema = z.object({
  ...ConstructIdentity,
  queueName: z.string().min(1),
  queueArn: z.string().min(1),
  queueUrl: z.string().min(1),
  consumerFunctionId: z.string().nullable(),
});
export type QueueManifest = z.infer<typeof QueueManifestSchema>;

/** An `sst.Cron`: an EventBridge schedule (`rate(...)` or `cron(...)`) and its job. */
export const CronManifestSchema = z.object({
  ...ConstructIdentity,
  schedule: z.string().min(1),
  ruleArn: z.string().min(1),
  jobFunctionId: z.string().min(1),
});
export type CronManifest = z.infer<typeof CronManifestSchema>;

/** An `sst.StaticSite` or `sst.ReactStaticSite`, served from its build folder once built. */
export const StaticSiteManifestSchema = z.object({
  ...ConstructIdentity,
  kind: z.string().min(1),
  /** The site's `path` as written, relative to the app root. */
  path: z.string().min(1),
  /** Absolute path of the folder that is served (`path` + `buildOutput`). */
  root: z.string().min(1),
  /** False when the folder has no index page yet: the site is listed (and its environment known) but not served. */
  built: z.boolean(),
  indexPage: z.string().min(1),
  /** A page answered for missing paths; with `spa` it is the index page answered with 200. */
  errorPage: z.string().nullable(),
  spa: z.boolean(),
  /** The site's `environment`; values may hold tokens. */
  environment: z.record(z.string(), z.string()),
});
export type StaticSiteManifest = z.infer<typeof StaticSiteManifestSchema>;

/** A construct the stacks created that nothing local stands in for (a Cognito pool, an RDS cluster, a bucket). */
export const UnemulatedManifestSchema = z.object({
  /** `cognito.UserPool`, `iam.Role`, `sst.Bucket`, … */
  kind: z.string().min(1),
  /** The construct id given to it. */
  id: z.string().min(1),
  stackId: z.string().min(1),
  /** `stacks/ApiStack.js:14`, when the source maps tell. */
  location: z.string().nullable(),
});
export type UnemulatedManifest = z.infer<typeof UnemulatedManifestSchema>;

export const ManifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  app: AppInfoSchema,
  stacks: z.array(StackManifestSchema),
  apis: z.array(ApiManifestSchema),
  /** Keyed by FunctionManifest.id. */
  functions: z.record(z.string(), FunctionManifestSchema),
  /** Identity tenants declared with the `Auth` construct (self-hosted issuers). */
  auths: z.array(AuthManifestSchema),
  /** DynamoDB tables declared with the `Table` construct (absent in manifests written before tables existed). */
  tables: z.array(TableManifestSchema).default([]),
  /** Props accepted but not honoured locally, each said once (e.g. `runtime: "nodejs14.x"`). */
  notices: z.array(z.string()),
  topics: z.array(TopicManifestSchema).default([]),
  queues: z.array(QueueManifestSchema).default([]),
  crons: z.array(CronManifestSchema).default([]),
  staticSites: z.array(StaticSiteManifestSchema).default([]),
  /** Constructs recorded but not run locally; each is also one notice. */
  unemulated: z.array(UnemulatedManifestSchema).default([]),
  /** The CDK code the stacks ran beside the SST constructs, as data a cloud target replays (cdk-code.ts). */
  cdkCode: CdkCodeSchema.default({ ops: [], values: {} }),
  /**
   * Set by `deploy --idp embedded`: the stage impersonates the (non-loopback) issuers its authorizers name
   * with its own embedded tenants, as dev does, instead of trusting the real ones. Absent: trust them.
   */
  identityProvider: z.enum(["embedded", "remote"]).optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;
