import type { CdkValue } from "../../manifest/cdk-code.js";
import { CDK_REFERENCE } from "../cdk/cdk-recorder.js";
import { createHash } from "node:crypto";
import { deriveApiId } from "../../manifest/api-id.js";
import { GatehouseError } from "../../errors.js";
import type { ApiManifest, AuthorizerManifest, CorsManifest, JwtAuthorizerManifest, LambdaAuthorizerManifest, RouteManifest } from "../../manifest/manifest.js";
import { validateAuthorizerConfig, validateLambdaAuthorizerConfig } from "../validate-authorizer.js";
import { parseRouteKey } from "../../manifest/route-key.js";
import { normalizeSstRouteKey } from "../sst-route-key.js";
import { apiUrlToken, hasTokens } from "../../manifest/tokens.js";
import type { Synthesizable } from "./app.js";
import { toSeconds } from "./duration.js";
import { SstFunction } from "./function.js";
import type { FunctionProps } from "./function-props.js";
import { HttpJwtAuthorizer } from "./http-jwt-authorizer.js";
import { HttpIamAuthorizer, HttpLambdaAuthorizer } from "./http-lambda-authorizer.js";
import { HttpUserPoolAuthorizer } from "./user-pool-authorizer.js";
import { withStandIns } from "../cdk/recorded-construct.js";
import { stackOf } from "./construct-node.js";
import { registerConstructKind } from "./registry.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

export const ApiAuthorizationType = {
  NONE: "NONE",
  JWT: "JWT",
  AWS_IAM: "AWS_IAM",
  CUSTOM: "CUSTOM",
} as const;

type FunctionDefinition = string | FunctionProps | SstFunction;

/** What a route or an Api may name as its authorizer (CDK objects, or an SST 1.x name). */
type AuthorizerValue = HttpJwtAuthorizer | HttpUserPoolAuthorizer | HttpLambdaAuthorizer | HttpIamAuthorizer | string;

const AUTHORIZATION_TYPES = ["NONE", "JWT", "AWS_IAM", "CUSTOM"] as const;
type AuthorizationType = (typeof AUTHORIZATION_TYPES)[number];

interface RouteProps {
  function?: FunctionDefinition;
  handler?: string;
  authorizationType?: string;
  /** A CDK authorizer, or (SST 1.x) the name of an entry in `authorizers`, or "none". */
  authorizer?: AuthorizerValue;
  authorizationScopes?: string[];
  [other: string]: unknown;
}

type RouteValue = FunctionDefinition | RouteProps;

interface SstAuthorizerProps {
  type: string;
  name?: string;
  identitySource?: string[];
  jwt?: { issuer: string; audience: string[] };
  /** `type: "user_pool"`. */
  userPool?: { id: unknown; clientIds?: unknown[]; region?: string };
  /** `type: "lambda"`. */
  function?: FunctionDefinition;
  responseTypes?: string[];
  resultsCacheTtl?: unknown;
}

export interface ApiProps {
  routes?: Record<string, RouteValue>;
  cors?: boolean | Record<string, unknown>;
  defaultAuthorizer?: AuthorizerValue;
  defaultAuthorizationType?: string;
  defaultAuthorizationScopes?: string[];
  defaultFunctionProps?: FunctionProps;
  /** SST 1.x: named authorizers and `defaults`. */
  authorizers?: Record<string, SstAuthorizerProps>;
  defaults?: { function?: FunctionProps; authorizer?: string; authorizationScopes?: string[] };
  [other: string]: unknown;
}

/** SST's Api: an HTTP API with routes, authorizers and CORS. */
export class Api implements Synthesizable {
  readonly stack: Stack;
  readonly id: string;
  readonly manifestId: string;

  /** How recorded CDK code refers to it (app/cdk/cdk-recorder.ts): a target makes it itself. */
  [CDK_REFERENCE](): CdkValue {
    return { sst: { kind: "api", id: this.manifestId } };
  }
  private readonly props: ApiProps;
  private readonly where: string;
  private readonly routeList: RouteManifest[] = [];
  private readonly routeFunctions = new Map<string, SstFunction>();
  private readonly authorizers = new Map<string, AuthorizerManifest>();
  /** SST 1.x `type: "iam"` entries: names that make a route AWS_IAM. */
  private readonly iamNames = new Set<string>();
  private readonly listedKeys: string[] = [];
  private readonly cors: CorsManifest | null;
  private readonly attachedPermissions: unknown[] = [];

  constructor(scope: Stack, id: string, props: ApiProps = {}) {
    scope = stackOf<Stack>(scope) ?? scope;
    this.stack = scope;
    this.id = id;
    this.manifestId = `${scope.id}/${id}`;
    this.props = props;
    this.where = `${callerLocation(scope.app.root) ?? scope.id}: Api "${id}"`;
    this.cors = this.resolveCors(props.cors);
    for (const [name, definition] of Object.entries(props.authorizers ?? {})) {
      const manifest = this.namedAuthorizer(name, definition);
      if (manifest) this.authorizers.set(name, manifest);
      else this.iamNames.add(name);
    }
    scope.app.members.push(this);
    this.addRoutes(scope, props.routes ?? {});
  }

  /** The API's base URL; a token until a backend serves the API. */
  get url(): string {
    return apiUrlToken(this.manifestId);
  }

  /** The route keys, as SST's `api.routes` lists them (whitespace collapsed, method as written). */
  get routes(): string[] {
    return [...this.listedKeys];
  }

  /** SST's httpApi escape hatch: only the bits stacks read for outputs. */
  get httpApi(): { apiEndpoint: string; url: string; httpApiId: string; apiId: string } {
    const apiId = deriveApiId(this.manifestId);
    // Other members (defaultStage, addRoutes, metrics) are stand-ins: CDK code reading them runs on.
    return withStandIns({ apiEndpoint: this.url, url: this.url, httpApiId: apiId, apiId }, `${this.manifestId}.httpApi`);
  }

  /** CDK's `httpApiArn`. */
  get httpApiArn(): string {
    return `arn:aws:apigateway:${this.stack.region}::/apis/${deriveApiId(this.manifestId)}`;
  }

  /** The function behind a route key. */
  getFunction(routeKey: string): SstFunction | undefined {
    const normalized = normalizeSstRouteKey(routeKey.trim());
    return normalized.ok ? this.routeFunctions.get(normalized.key) : undefined;
  }

  /** Grants every route's function (and those of routes added later) the permissions, as SST does. */
  attachPermissions(permissions: unknown): void {
    this.attachedPermissions.push(permissions);
    for (const fn of new Set(this.routeFunctions.values())) fn.attachPermissions(permissions);
  }

  /** Grants one route's function the permissions; the route must exist. */
  attachPermissionsToRoute(routeKey: string, permissions: unknown): void {
    const fn = this.getFunction(routeKey);
    if (!fn) throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: attachPermissionsToRoute names "${routeKey}", which is not a route of this Api.`);
    fn.attachPermissions(permissions);
  }

  /** Adds routes after construction, as SST's addRoutes. */
  addRoutes(scope: Stack, routes: Record<string, RouteValue>): void {
    for (const [rawKey, value] of Object.entries(routes)) this.addRoute(scope, rawKey, value);
  }

  synthApi(): ApiManifest {
    return {
      id: this.manifestId,
      constructId: this.id,
      stackId: this.stack.id,
      routes: this.routeList.map((route) => ({ ...route, authorizationScopes: [...route.authorizationScopes] })),
      authorizers: Object.fromEntries([...this.authorizers].map(([key, a]) => [key, structuredClone(a)])),
      cors: this.cors,
    };
  }

  private addRoute(scope: Stack, rawKey: string, value: RouteValue): void {
    const where = `${this.where} route "${rawKey}"`;
    const normalized = normalizeSstRouteKey(rawKey);
    const parsed = normalized.ok ? parseRouteKey(normalized.key) : normalized;
    if (!parsed.ok) {
      throw new GatehouseError("GH_ERR_ROUTE_INVALID", `${where}: ${parsed.error}. Fix: use "METHOD /path" (e.g. "GET /notes/{id}") or "$default".`);
    }
    const { route: key } = parsed;
    if (this.routeList.some((route) => route.key === key.key)) {
      throw new GatehouseError("GH_ERR_ROUTE_DUPLICATE", `${where}: the route "${key.key}" is defined twice. Fix: remove one of them.`);
    }
    if (typeof value === "object" && value !== null && ("url" in value || "albListener" in value)) {
      // SST v0.36+ HTTP-proxy and ALB routes have no function; nothing local stands behind them (docs/sst-apps.md).
      const kind = "url" in value ? "sst.Api HTTP proxy route" : "sst.Api ALB route";
      this.stack.app.recordUnemulated({ kind, id: key.key, stackId: this.stack.id, location: this.where.split(": ")[0] });
      return;
    }
    const routeProps: RouteProps = isRouteProps(value) ? value : { function: value as FunctionDefinition };
    const fn = this.routeFunction(scope, key.key, routeProps, where);
    const auth = this.resolveAuthorization(routeProps, where);
    this.routeFunctions.set(key.key, fn);
    for (const permissions of this.attachedPermissions) fn.attachPermissions(permissions);
    if (normalized.ok) this.listedKeys.push(normalized.listed);
    this.routeList.push({
      key: key.key,
      method: key.isDefault ? null : key.method,
      path: key.isDefault ? null : key.path,
      functionId: fn.manifestId,
      stackId: this.stack.id,
      ...auth,
    });
  }

  private routeFunction(scope: Stack, key: string, route: RouteProps, where: string): SstFunction {
    const definition = route.function ?? (typeof route.handler === "string" ? { handler: route.handler } : undefined);
    if (definition instanceof SstFunction || (definition && (definition as unknown as SstFunction).manifestId)) {
      return definition as unknown as SstFunction;
    }
    if (definition === undefined) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: no function. Fix: give a handler such as "src/lambda.main".`);
    }
    const constructId = `Lambda_${key.replace(/\s+/, "_")}`;
    return new SstFunction(scope, constructId, definition as FunctionProps | string, {
      context: `Api "${this.id}" route "${key}"`,
      extraDefaults: [this.props.defaultFunctionProps ?? {}, this.props.defaults?.function ?? {}],
      manifestId: routeFunctionId(this.stack.id, this.id, key),
      location: this.where.split(": ")[0],
      owner: { kind: "sst.Api", id: this.manifestId, stackId: this.stack.id },
    });
  }

  private resolveAuthorization(route: RouteProps, where: string): Pick<RouteManifest, "authorizationType" | "authorizerId" | "authorizationScopes"> {
    const declared = route.authorizationType ?? this.props.defaultAuthorizationType;
    let authorizer = route.authorizer ?? this.props.defaultAuthorizer ?? this.props.defaults?.authorizer;
    if (route.authorizer === "none") return { authorizationType: "NONE", authorizerId: null, authorizationScopes: [] };
    if (authorizer === "none") authorizer = undefined;
    // SST 1.x: naming an authorizer is what protects a route; an HttpIamAuthorizer alone means AWS_IAM.
    const derived = declared === undefined && authorizer !== undefined && (typeof authorizer === "string" || isIamAuthorizer(authorizer)) ? this.kindOf(authorizer, where) : undefined;
    const type = String(declared ?? derived ?? "NONE").toUpperCase() as AuthorizationType;
    if (!AUTHORIZATION_TYPES.includes(type)) {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: authorizationType "${declared}" is not one of ${AUTHORIZATION_TYPES.join(", ")}. Fix: use one of them (upper case).`);
    }
    if (type === "NONE" || type === "AWS_IAM") return { authorizationType: type, authorizerId: null, authorizationScopes: [] };
    if (authorizer === undefined || isIamAuthorizer(authorizer)) {
      const wanted = type === "JWT" ? "a HttpJwtAuthorizer or HttpUserPoolAuthorizer" : "a HttpLambdaAuthorizer";
      throw new GatehouseError(
        "GH_ERR_AUTHORIZER_MISSING",
        `${where}: the route needs ${type} authorization but the Api has no authorizer. Fix: set defaultAuthorizer to ${wanted}, or give the route authorizationType NONE.`,
      );
    }
    const authorizerId = this.registerAuthorizer(authorizer, where);
    const config = this.authorizers.get(authorizerId)!;
    const kind = config.type === "JWT" ? "JWT" : "CUSTOM";
    if (kind !== type) {
      throw new GatehouseError(
        "GH_ERR_AUTHORIZER_INVALID",
        `${where}: authorizationType ${type} does not fit authorizer "${authorizerId}", which is a ${config.type === "JWT" ? "JWT" : "Lambda"} authorizer. Fix: use authorizationType ${kind}.`,
      );
    }
    // Scopes apply to JWT routes only (a Lambda authorizer decides for itself).
    if (type === "CUSTOM") return { authorizationType: "CUSTOM", authorizerId, authorizationScopes: [] };
    const scopes = route.authorizationScopes ?? this.props.defaultAuthorizationScopes ?? this.props.defaults?.authorizationScopes ?? [];
    if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== "string")) {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: authorizationScopes must be a list of strings.`);
    }
    this.checkAuthorizer(config, scopes, where);
    return { authorizationType: "JWT", authorizerId, authorizationScopes: [...scopes] };
  }

  /** The authorization type an authorizer implies when the route names no type. */
  private kindOf(authorizer: AuthorizerValue, where: string): AuthorizationType {
    if (isIamAuthorizer(authorizer)) return "AWS_IAM";
    if (typeof authorizer === "string") {
      if (this.iamNames.has(authorizer)) return "AWS_IAM";
      const named = this.authorizers.get(authorizer);
      if (!named) {
        throw new GatehouseError("GH_ERR_AUTHORIZER_MISSING", `${where}: no authorizer named "${authorizer}" in the Api's authorizers. Fix: add it, or correct the name.`);
      }
      return named.type === "JWT" ? "JWT" : "CUSTOM";
    }
    return isLambdaAuthorizer(authorizer) ? "CUSTOM" : "JWT";
  }

  private registerAuthorizer(authorizer: Exclude<AuthorizerValue, HttpIamAuthorizer>, where: string): string {
    if (typeof authorizer === "string") {
      if (!this.authorizers.has(authorizer)) {
        throw new GatehouseError("GH_ERR_AUTHORIZER_MISSING", `${where}: no authorizer named "${authorizer}" in the Api's authorizers. Fix: add it, or correct the name.`);
      }
      return authorizer;
    }
    let manifest: AuthorizerManifest;
    if (isLambdaAuthorizer(authorizer)) {
      const existing = this.authorizers.get(authorizer.id);
      if (existing?.type === "REQUEST" && this.lambdaSources.get(authorizer.id) === authorizer) return authorizer.id;
      manifest = this.lambdaManifest(authorizer, where);
      this.lambdaSources.set(authorizer.id, authorizer);
    } else if (isUserPoolAuthorizer(authorizer)) {
      const region = this.stack.app.region;
      manifest = { id: authorizer.id, type: "JWT", issuer: authorizer.issuer(region), audience: authorizer.audience(authorizer.region ?? region), identitySource: authorizer.identitySource };
    } else if (authorizer instanceof HttpJwtAuthorizer || typeof (authorizer as HttpJwtAuthorizer)?.issuer === "string") {
      const jwt = authorizer as HttpJwtAuthorizer;
      manifest = { id: jwt.id, type: "JWT", issuer: jwt.issuer, audience: [...jwt.audience], identitySource: jwt.identitySource };
    } else {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: the authorizer must be a HttpJwtAuthorizer, HttpUserPoolAuthorizer, HttpLambdaAuthorizer or HttpIamAuthorizer.`);
    }
    this.checkAuthorizer(manifest, [], where);
    const existing = this.authorizers.get(manifest.id);
    if (existing && JSON.stringify(existing) !== JSON.stringify(manifest)) {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: two different authorizers share the id "${manifest.id}". Fix: give each a unique id.`);
    }
    this.authorizers.set(manifest.id, manifest);
    return manifest.id;
  }

  /** The Lambda authorizers registered from CDK objects, so one object used on many routes makes one function. */
  private readonly lambdaSources = new Map<string, HttpLambdaAuthorizer>();

  private lambdaManifest(authorizer: HttpLambdaAuthorizer, where: string): LambdaAuthorizerManifest {
    return {
      id: authorizer.id,
      type: "REQUEST",
      functionId: this.authorizerFunction(authorizer.id, authorizer.handler, where).manifestId,
      payloadFormatVersion: authorizer.payloadFormatVersion,
      enableSimpleResponses: authorizer.enableSimpleResponses,
      identitySource: [...authorizer.identitySource],
      resultTtlSeconds: authorizer.resultTtlSeconds,
    };
  }

  /** The authorizer's function: an sst.Function as given, or one made from a handler string or props. */
  private authorizerFunction(id: string, handler: unknown, where: string): SstFunction {
    if (handler instanceof SstFunction || typeof (handler as SstFunction)?.manifestId === "string") return handler as SstFunction;
    if (typeof handler === "string" || (typeof handler === "object" && handler !== null && typeof (handler as FunctionProps).handler === "string")) {
      return new SstFunction(this.stack, `Authorizer_${id}`, handler as FunctionProps | string, {
        context: `Api "${this.id}" authorizer "${id}"`,
        extraDefaults: [this.props.defaultFunctionProps ?? {}, this.props.defaults?.function ?? {}],
        manifestId: `${this.stack.id}-${this.id}-authorizer-${id.replace(/[^A-Za-z0-9]+/g, "_")}`,
        location: this.where.split(": ")[0],
      });
    }
    throw new GatehouseError(
      "GH_ERR_AUTHORIZER_INVALID",
      `${where}: authorizer "${id}" has a handler that is not an sst.Function. Fix: pass new sst.Function(this, "Authorizer", { handler: "src/authorizer.main" }).`,
    );
  }

  /** SST 1.x `authorizers` entries; null for `type: "iam"`, which needs no authorizer object. */
  private namedAuthorizer(name: string, definition: SstAuthorizerProps): AuthorizerManifest | null {
    const where = `${this.where} authorizer "${name}"`;
    const id = definition?.name ?? name;
    const sources = definition?.identitySource ?? ["$request.header.Authorization"];
    let manifest: AuthorizerManifest;
    switch (definition?.type) {
      case "iam":
        return null;
      case "jwt": {
        if (!definition.jwt) throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: a jwt authorizer needs jwt: { issuer, audience }.`);
        manifest = { id, type: "JWT", issuer: definition.jwt.issuer, audience: [...(definition.jwt.audience ?? [])], identitySource: sources[0] };
        break;
      }
      case "user_pool": {
        if (!definition.userPool) throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: a user_pool authorizer needs userPool: { id, clientIds }.`);
        const pool = new HttpUserPoolAuthorizer(id, definition.userPool.id, {
          userPoolClients: definition.userPool.clientIds ?? [],
          userPoolRegion: definition.userPool.region,
          identitySource: sources,
        });
        const region = pool.region ?? this.stack.app.region;
        manifest = { id, type: "JWT", issuer: pool.issuer(region), audience: pool.audience(region), identitySource: pool.identitySource };
        break;
      }
      case "lambda": {
        if (definition.function === undefined) throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: a lambda authorizer needs a function.`);
        // SST passes its own cache age (default none) to CDK; response types default to IAM as in CDK.
        const lambda = new HttpLambdaAuthorizer(id, definition.function, {
          identitySource: sources,
          resultsCacheTtl: definition.resultsCacheTtl ?? 0,
          responseTypes: definition.responseTypes,
        });
        manifest = this.lambdaManifest(lambda, where);
        break;
      }
      default:
        throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: type "${definition?.type}" is not one of jwt, user_pool, lambda, iam.`);
    }
    if (manifest.type === "JWT" && sources.length !== 1) throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: a JWT authorizer takes exactly one identitySource.`);
    this.checkAuthorizer(manifest, [], where);
    return manifest;
  }

  private checkAuthorizer(authorizer: AuthorizerManifest, routeScopes: string[], where: string): void {
    if (authorizer.type === "REQUEST") {
      const problems = validateLambdaAuthorizerConfig(authorizer);
      if (problems.length > 0) throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: ${problems.join("; ")}.`);
      return;
    }
    // An issuer token (a stage's own Auth tenant) is checked once the backend resolves it.
    const checked: JwtAuthorizerManifest = hasTokens(authorizer.issuer) ? { ...authorizer, issuer: "https://issuer.invalid/" } : authorizer;
    const problems = validateAuthorizerConfig(checked, routeScopes);
    if (problems.length > 0) throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: ${problems.join("; ")}.`);
  }

  private resolveCors(cors: ApiProps["cors"]): CorsManifest | null {
    // SST enables CORS for every origin unless told otherwise.
    if (cors === false) return null;
    if (cors === undefined || cors === true) {
      return { allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"], exposeHeaders: [], allowCredentials: false, maxAge: null };
    }
    const list = (key: string): string[] => {
      const value = cors[key];
      if (value === undefined) return [];
      if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
        throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: cors.${key} must be a list of strings.`);
      }
      return value as string[];
    };
    const maxAge = cors.maxAge === undefined ? null : toSeconds(cors.maxAge);
    if (cors.maxAge !== undefined && maxAge === null) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: cors.maxAge must be seconds, a Duration or a string like "1 day".`);
    }
    return {
      allowOrigins: list("allowOrigins"),
      allowMethods: list("allowMethods").map((method) => (method === "ANY" ? "*" : method)),
      allowHeaders: list("allowHeaders"),
      exposeHeaders: list("exposeHeaders"),
      allowCredentials: cors.allowCredentials === true,
      maxAge,
    };
  }
}

function isIamAuthorizer(value: unknown): value is HttpIamAuthorizer {
  return value instanceof HttpIamAuthorizer || (value as HttpIamAuthorizer | null)?.authorizationType === "AWS_IAM";
}

function isLambdaAuthorizer(value: unknown): value is HttpLambdaAuthorizer {
  return value instanceof HttpLambdaAuthorizer || typeof (value as HttpLambdaAuthorizer | null)?.payloadFormatVersion === "string";
}

function isUserPoolAuthorizer(value: unknown): value is HttpUserPoolAuthorizer {
  return value instanceof HttpUserPoolAuthorizer || typeof (value as HttpUserPoolAuthorizer | null)?.poolIdIn === "function";
}

function isRouteProps(value: RouteValue): value is RouteProps {
  return typeof value === "object" && value !== null && !(value instanceof SstFunction) && ("function" in value || "authorizationType" in value || "authorizer" in value || "authorizationScopes" in value);
}

/**
 * A function id for a route: readable, plus a short hash of the exact key, since keys that differ only in
 * punctuation (`GET /a-b`, `GET /a_b`, `GET /notes/{id}`, `GET /notes/id`) read the same once made safe.
 */
function routeFunctionId(stackId: string, apiId: string, key: string): string {
  const readable = key.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "");
  return `${stackId}-${apiId}-${readable}-${createHash("sha256").update(key).digest("hex").slice(0, 6)}`;
}

registerConstructKind({ kind: "sst.Api", exportName: "Api", construct: Api });
