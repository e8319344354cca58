/**
 * The manifest: a plain, JSON-serializable description of an app for one stage. Constructs produce it;
 * every backend (dev server, host, AWS synth) reads it and nothing else.
 */

export const MANIFEST_VERSION = 1;

/** The AWS account every local resource belongs to (ARNs, `requestContext.accountId`, `app.account`). */
export const LOCAL_ACCOUNT_ID = "123456789012";

export interface Manifest {
  version: typeof MANIFEST_VERSION;
  app: AppInfo;
  stacks: StackManifest[];
  apis: ApiManifest[];
  /** Keyed by FunctionManifest.id. */
  functions: Record<string, FunctionManifest>;
  /** Identity tenants declared with the `Auth` construct (self-hosted issuers). */
  auths: AuthManifest[];
  /** Props accepted but not honoured locally, each said once (e.g. `runtime: "nodejs14.x"`). */
  notices: string[];
}

export interface AppInfo {
  name: string;
  stage: string;
  region: string;
  /** Absolute path of the app directory (where sst.json is). */
  root: string;
}

export interface StackManifest {
  /** The id given to `new Stack(app, id)`. */
  id: string;
  /** `<stage>-<app>-<id>`, as SST prints it. */
  name: string;
  /** Output values; they may hold tokens (see src/app/tokens.ts) that a backend resolves when it prints them. */
  outputs: Record<string, string>;
}

export interface ApiManifest {
  /** Unique within the app: `<stackId>/<constructId>`. */
  id: string;
  /** The construct id given to `new Api(stack, id)`. */
  constructId: string;
  stackId: string;
  routes: RouteManifest[];
  /** Keyed by JwtAuthorizerManifest.id. */
  authorizers: Record<string, JwtAuthorizerManifest>;
  cors: CorsManifest | null;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | "ANY";

export interface RouteManifest {
  /** The route key as API Gateway spells it: `"GET /pets/{id}"`, `"ANY /{proxy+}"` or `"$default"`. */
  key: string;
  /** `null` for `$default`. */
  method: HttpMethod | null;
  /** `null` for `$default`. */
  path: string | null;
  functionId: string;
  authorizationType: "NONE" | "JWT";
  /** Set when authorizationType is JWT. */
  authorizerId: string | null;
  /** The route's own scopes, else the Api's defaults; empty means no scope check. */
  authorizationScopes: string[];
}

export interface JwtAuthorizerManifest {
  id: string;
  type: "JWT";
  issuer: string;
  audience: string[];
  /** `$request.header.<Name>` or `$request.querystring.<name>`. */
  identitySource: string;
}

export interface CorsManifest {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  /** Seconds; null when not set. */
  maxAge: number | null;
}

export interface FunctionManifest {
  /** Unique within the app, stable across rebuilds (derived from the construct path). */
  id: string;
  /** The handler as written: `"src/private.main"`. */
  handler: string;
  /** Absolute path of the handler's source file. */
  entry: string;
  /** Name of the exported function. */
  exportName: string;
  /** Lambda-style function name: `<stage>-<app>-<stackId>-<constructId>`, at most 64 characters. */
  functionName: string;
  /** May hold tokens (e.g. an Api's url), resolved by the backend before the function runs. */
  environment: Record<string, string>;
  /** Seconds (SST default 10). */
  timeout: number;
  /** MB (SST default 1024). */
  memorySize: number;
}

export interface AuthManifest {
  /** Unique within the app: `<stackId>/<constructId>`. */
  id: string;
  constructId: string;
  stackId: string;
  applications: Array<{
    name: string;
    /** As given, else derived from app, stage, tenant and application names (stable across redeploys). */
    clientId: string;
    callbackUrls: string[];
    logoutUrls: string[];
    webOrigins: string[];
    grantTypes: string[];
  }>;
  apis: Array<{ identifier: string; scopes: string[]; rbac: boolean }>;
}
