import { createHash } from "node:crypto";
import { deriveApiId } from "../../manifest/api-id.js";
import { GatehouseError } from "../../errors.js";
import type { ApiManifest, CorsManifest, JwtAuthorizerManifest, RouteManifest } from "../../manifest/manifest.js";
import { validateAuthorizerConfig } from "../validate-authorizer.js";
import { parseRouteKey } from "../../manifest/route-key.js";
import { normalizeSstRouteKey } from "../sst-route-key.js";
import { apiUrlToken, hasTokens } from "../../manifest/tokens.js";
import type { Synthesizable } from "./app.js";
import { toSeconds } from "./duration.js";
import { SstFunction } from "./function.js";
import type { FunctionProps } from "./function-props.js";
import { HttpJwtAuthorizer } from "./http-jwt-authorizer.js";
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

interface RouteProps {
  function?: FunctionDefinition;
  handler?: string;
  authorizationType?: string;
  /** An HttpJwtAuthorizer, or (SST 1.x) the name of an entry in `authorizers`, or "none". */
  authorizer?: HttpJwtAuthorizer | string;
  authorizationScopes?: string[];
  [other: string]: unknown;
}

type RouteValue = FunctionDefinition | RouteProps;

interface SstAuthorizerProps {
  type: string;
  name?: string;
  identitySource?: string[];
  jwt?: { issuer: string; audience: string[] };
}

export interface ApiProps {
  routes?: Record<string, RouteValue>;
  cors?: boolean | Record<string, unknown>;
  defaultAuthorizer?: HttpJwtAuthorizer | string;
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
  private readonly props: ApiProps;
  private readonly where: string;
  private readonly routeList: RouteManifest[] = [];
  private readonly routeFunctions = new Map<string, SstFunction>();
  private readonly listedKeys: string[] = [];
  private readonly permissions: unknown[] = [];
  private readonly authorizers = new Map<string, JwtAuthorizerManifest>();
  private readonly cors: CorsManifest | null;

  constructor(scope: Stack, id: string, props: ApiProps = {}) {
    scope = stackOf<Stack>(scope) ?? scope;
    this.stack = scope;
    this.id = id;
    this.manifestId = `${scope.id}/${id}`;
    this.props = props;
    this.where = `${callerLocation(scope.app.root) ?? scope.id}: Api "${id}"`;
    this.cors = this.resolveCors(props.cors);
    for (const [name, definition] of Object.entries(props.authorizers ?? {})) {
      this.authorizers.set(name, this.namedAuthorizer(name, definition));
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

  /** Every current and later route function gets them (kept for a cloud target; not enforced locally). */
  attachPermissions(permissions: unknown): void {
    this.permissions.push(permissions);
    for (const fn of new Set(this.routeFunctions.values())) fn.attachPermissions(permissions);
  }

  attachPermissionsToRoute(routeKey: string, permissions: unknown): void {
    const fn = this.getFunction(routeKey);
    if (!fn) throw new GatehouseError("GH_ERR_ROUTE_INVALID", `${this.where}: attachPermissionsToRoute: no route "${routeKey}".`);
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
      authorizers: Object.fromEntries([...this.authorizers].map(([key, a]) => [key, { ...a, audience: [...a.audience] }])),
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
    for (const permissions of this.permissions) fn.attachPermissions(permissions);
    this.routeFunctions.set(key.key, fn);
    if (normalized.ok) this.listedKeys.push(normalized.listed);
    this.routeList.push({
      key: key.key,
      method: key.isDefault ? null : key.method,
      path: key.isDefault ? null : key.path,
      functionId: fn.manifestId,
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
    let type = (route.authorizationType ?? this.props.defaultAuthorizationType ?? "NONE").toUpperCase();
    let authorizer = route.authorizer ?? this.props.defaultAuthorizer ?? this.props.defaults?.authorizer;
    if (route.authorizer === "none") {
      type = "NONE";
      authorizer = undefined;
    } else if (typeof authorizer === "string" && authorizer !== "none" && route.authorizationType === undefined && this.props.defaultAuthorizationType === undefined) {
      type = "JWT"; // SST 1.x: naming an authorizer is what makes a route protected
    }
    if (type === "NONE") return { authorizationType: "NONE", authorizerId: null, authorizationScopes: [] };
    if (type !== "JWT") {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: authorizationType "${type}" is not supported offline. Fix: use JWT or NONE.`);
    }
    if (authorizer === undefined || authorizer === "none") {
      throw new GatehouseError(
        "GH_ERR_AUTHORIZER_MISSING",
        `${where}: the route needs JWT authorization but the Api has no authorizer. Fix: set defaultAuthorizer to a HttpJwtAuthorizer, or give the route authorizationType NONE.`,
      );
    }
    const authorizerId = this.registerAuthorizer(authorizer, where);
    const scopes = route.authorizationScopes ?? this.props.defaultAuthorizationScopes ?? this.props.defaults?.authorizationScopes ?? [];
    if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== "string")) {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: authorizationScopes must be a list of strings.`);
    }
    this.checkAuthorizer(this.authorizers.get(authorizerId)!, scopes, where);
    return { authorizationType: "JWT", authorizerId, authorizationScopes: [...scopes] };
  }

  private registerAuthorizer(authorizer: HttpJwtAuthorizer | string, where: string): string {
    if (typeof authorizer === "string") {
      if (!this.authorizers.has(authorizer)) {
        throw new GatehouseError("GH_ERR_AUTHORIZER_MISSING", `${where}: no authorizer named "${authorizer}" in the Api's authorizers. Fix: add it, or correct the name.`);
      }
      return authorizer;
    }
    if (!(authorizer instanceof HttpJwtAuthorizer) && typeof (authorizer as HttpJwtAuthorizer)?.issuer !== "string") {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: the authorizer must be an HttpJwtAuthorizer.`);
    }
    const manifest: JwtAuthorizerManifest = {
      id: authorizer.id,
      type: "JWT",
      issuer: authorizer.issuer,
      audience: [...authorizer.audience],
      identitySource: authorizer.identitySource,
    };
    this.checkAuthorizer(manifest, [], where);
    const existing = this.authorizers.get(manifest.id);
    if (existing && JSON.stringify(existing) !== JSON.stringify(manifest)) {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: two different authorizers share the id "${manifest.id}". Fix: give each a unique id.`);
    }
    this.authorizers.set(manifest.id, manifest);
    return manifest.id;
  }

  private namedAuthorizer(name: string, definition: SstAuthorizerProps): JwtAuthorizerManifest {
    const where = `${this.where} authorizer "${name}"`;
    if (definition?.type !== "jwt" || !definition.jwt) {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: type "${definition?.type}" is not supported offline. Fix: use { type: "jwt", jwt: { issuer, audience } }.`);
    }
    const sources = definition.identitySource ?? ["$request.header.Authorization"];
    const manifest: JwtAuthorizerManifest = {
      id: definition.name ?? name,
      type: "JWT",
      issuer: definition.jwt.issuer,
      audience: [...(definition.jwt.audience ?? [])],
      identitySource: sources[0],
    };
    if (sources.length !== 1) throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: a JWT authorizer takes exactly one identitySource.`);
    this.checkAuthorizer(manifest, [], where);
    return manifest;
  }

  private checkAuthorizer(authorizer: JwtAuthorizerManifest, routeScopes: string[], where: string): void {
    // An issuer token (a stage's own Auth tenant) is checked once the backend resolves it.
    const checked = hasTokens(authorizer.issuer) ? { ...authorizer, issuer: "https://issuer.invalid/" } : authorizer;
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
