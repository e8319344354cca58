/**
 * The manifest: a plain, JSON-serializable description of an app for one stage. Constructs produce it;
 * every backend (dev server, host, AWS synth, console) reads it and nothing else.
 *
 * The zod schema below is its definition: the TypeScript types are inferred from it, and a manifest read
 * from disk is validated against it (see read-manifest.ts). This folder does no file, network or process
 * access, so every backend can depend on it.
 */
import { z } from "zod";

/** Bumped whenever a manifest written by an older Gatehouse could be misread by this one. */
export const MANIFEST_VERSION = 1;

/** The AWS account every local resource belongs to (ARNs, `requestContext.accountId`, `app.account`). */
export const LOCAL_ACCOUNT_ID = "123456789012";

export const HttpMethodSchema = z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]);
export type HttpMethod = z.infer<typeof HttpMethodSchema>;

export const AppInfoSchema = z.object({
  name: z.string().min(1),
  stage: z.string().min(1),
  region: z.string().min(1),
  /** Absolute path of the app directory (where sst.json is). */
  root: z.string().min(1),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const StackManifestSchema = z.object({
  /** The id given to `new Stack(app, id)`. */
  id: z.string().min(1),
  /** `<stage>-<app>-<id>`, as SST prints it. */
  name: z.string().min(1),
  /** Output values; they may hold tokens (see tokens.ts) that a backend resolves when it prints them. */
  outputs: z.record(z.string(), z.string()),
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
  authorizationType: z.enum(["NONE", "JWT"]),
  /** Set when authorizationType is JWT. */
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
  authorizers: z.record(z.string(), JwtAuthorizerManifestSchema),
  cors: CorsManifestSchema.nullable(),
});
export type ApiManifest = z.infer<typeof ApiManifestSchema>;

export const FunctionManifestSchema = z.object({
  /** Unique within the app, stable across rebuilds (derived from the construct path). */
  id: z.string().min(1),
  /** The handler as written: `"src/private.main"`. */
  handler: z.string().min(1),
  /** Absolute path of the handler's source file. */
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
});
export type FunctionManifest = z.infer<typeof FunctionManifestSchema>;

export const AuthManifestSchema = z.object({
  /** Unique within the app: `<stackId>/<constructId>`. */
  id: z.string().min(1),
  constructId: z.string().min(1),
  stackId: z.string().min(1),
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

export const ManifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  app: AppInfoSchema,
  stacks: z.array(StackManifestSchema),
  apis: z.array(ApiManifestSchema),
  /** Keyed by FunctionManifest.id. */
  functions: z.record(z.string(), FunctionManifestSchema),
  /** Identity tenants declared with the `Auth` construct (self-hosted issuers). */
  auths: z.array(AuthManifestSchema),
  /** Props accepted but not honoured locally, each said once (e.g. `runtime: "nodejs14.x"`). */
  notices: z.array(z.string()),
  /**
   * Set by `deploy --idp embedded`: the stage impersonates the (non-loopback) issuers its authorizers name
   * with its own embedded tenants, as dev does, instead of trusting the real ones. Absent: trust them.
   */
  identityProvider: z.enum(["embedded", "remote"]).optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;
