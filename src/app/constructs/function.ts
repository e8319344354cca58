import type { CdkValue } from "../../manifest/cdk-code.js";
import { CDK_REFERENCE } from "../cdk/cdk-recorder.js";
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { GatehouseError } from "../../errors.js";
import type { FunctionBundle, FunctionManifest, FunctionOwner, PermissionManifest } from "../../manifest/manifest.js";
import { runtimeFamily } from "../../manifest/runtime-family.js";
import { unemulatedToken } from "../../manifest/tokens.js";
import { stackOf } from "./construct-node.js";
import { toSeconds } from "./duration.js";
import { type FunctionProps, mergeFunctionProps, unhonouredProps } from "./function-props.js";
import { combinePermissions, toPermissions } from "./permissions.js";
import { registerConstructKind } from "./registry.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

const HANDLER_EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".jsx", ".mjs", ".cjs"];
const DEFAULT_TIMEOUT_SECONDS = 10;
const DEFAULT_MEMORY_MB = 1024;
/** SST 0.x's default runtime for every function (docs/aws-target.md). */
export const SST_DEFAULT_RUNTIME = "nodejs12.x";
/** Keys SST accepts in `bundle` (docs/sst-apps.md); the rest are refused there, and accepted with a notice here. */
const BUNDLE_KEYS_WITHOUT_LOCAL_EFFECT = ["copyFiles", "commandHooks", "minify", "format", "installCommands", "keepNames"];

export interface FunctionOptions {
  /** Names the construct for error messages (e.g. `Api "Api" route "GET /x"`). */
  context?: string;
  /** Defaults between the app's and the function's own props (an Api's defaultFunctionProps). */
  extraDefaults?: FunctionProps[];
  manifestId?: string;
  location?: string | null;
  /** The construct the function belongs to; itself (`sst.Function`) when absent. */
  owner?: FunctionOwner;
}

/** SST's Function: a handler file and export, with the props it runs under. */
export class SstFunction {
  readonly stack: Stack;
  readonly id: string;
  readonly manifestId: string;

  /** How recorded CDK code refers to it (app/cdk/cdk-recorder.ts): a target makes it itself. */
  [CDK_REFERENCE](): CdkValue {
    return { sst: { kind: "function", id: this.manifestId } };
  }
  readonly props: FunctionProps;
  readonly entry: string;
  readonly exportName: string;
  readonly functionName: string;
  readonly location: string | null;
  /** The declared Lambda runtime name (`nodejs14.x`, `go1.x`); undefined means SST's Node.js default. */
  readonly runtime: string | undefined;
  private readonly environment: Record<string, string>;
  private permissions: PermissionManifest[] = [];
  private readonly logRetentionDays: number | null;
  private readonly bundle: FunctionBundle | undefined;
  private readonly owner: FunctionOwner;
  private readonly where: string;

  constructor(scope: Stack, id: string, props: FunctionProps | string, options: FunctionOptions = {}) {
    scope = stackOf<Stack>(scope) ?? scope;
    this.stack = scope;
    this.id = id;
    this.location = options.location ?? callerLocation(scope.app.root);
    const own = typeof props === "string" ? { handler: props } : props;
    this.props = mergeFunctionProps(...scope.app.defaultFunctionProps(scope), ...(options.extraDefaults ?? []), own);
    const where = `${this.location ?? scope.id}: ${options.context ?? `Function "${id}"`}`;
    this.where = where;
    this.runtime = runtimeName(this.props.runtime, where);
    const family = runtimeFamily(this.runtime);
    const handler = this.props.handler;
    if (typeof handler !== "string" || handler === "" || (family === "node" && !handler.includes("."))) {
      throw new GatehouseError(
        "GH_ERR_CONSTRUCT_INVALID",
        `${where}: handler ${JSON.stringify(handler)} must be "path/to/file.exportName", e.g. "src/lambda.main".`,
      );
    }
    const srcPath = typeof this.props.srcPath === "string" ? this.props.srcPath.replace(/\/+$/, "") : "";
    if (srcPath !== "" && !existsSync(join(scope.app.root, srcPath))) {
      throw new GatehouseError("GH_ERR_HANDLER_NOT_FOUND", `${where}: srcPath "${srcPath}" does not exist in ${scope.app.root}. Fix: correct srcPath.`);
    }
    if (family === "node") {
      const dot = handler.lastIndexOf(".");
      this.exportName = handler.slice(dot + 1);
      const base = join(scope.app.root, srcPath, handler.slice(0, dot));
      const entry = HANDLER_EXTENSIONS.map((ext) => base + ext).find((candidate) => existsSync(candidate));
      if (!entry) {
        const shown = relative(scope.app.root, base);
        throw new GatehouseError(
          "GH_ERR_HANDLER_NOT_FOUND",
          `${where}: handler "${handler}" points to ${shown}.{js,ts}, which does not exist. Fix: create ${shown}.js exporting "${this.exportName}", or correct the handler path.`,
        );
      }
      this.entry = entry;
      this.bundle = bundleOptions(this.props.bundle, scope.app, where);
    } else {
      // Not run locally (docs/sst-apps.md, "Other runtimes"): the file is not looked for, and no Node.js fix is offered.
      const dot = handler.lastIndexOf(".");
      this.exportName = dot > handler.lastIndexOf("/") && dot >= 0 ? handler.slice(dot + 1) || "handler" : "handler";
      this.entry = join(scope.app.root, srcPath, handler);
      this.bundle = undefined;
      scope.app.notice(`${where}: runtime ${this.runtime} is not run locally; it stays listed and answers 501 (GH_ERR_RUNTIME_NOT_LOCAL) when called`);
    }
    const timeout = this.props.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : toSeconds(this.props.timeout);
    if (timeout === null || timeout <= 0 || timeout > 900) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: timeout must be 1 to 900 seconds (a number or Duration).`);
    }
    const memory = this.props.memorySize ?? DEFAULT_MEMORY_MB;
    if (!Number.isInteger(memory) || memory < 128 || memory > 10240) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: memorySize must be an integer from 128 to 10240 (MB).`);
    }
    this.props.timeout = timeout;
    this.props.memorySize = memory;
    this.environment = {};
    for (const [name, value] of Object.entries(this.props.environment ?? {})) this.addEnvironment(name, value);
    if (this.props.permissions !== undefined) this.permissions = toPermissions(this.props.permissions, where);
    this.logRetentionDays = logRetentionDays(this.props.logRetention, where);
    this.manifestId = options.manifestId ?? `${scope.id}-${id}`;
    this.owner = options.owner ?? { kind: "sst.Function", id: this.manifestId, stackId: scope.id };
    this.functionName = lambdaName(scope.app.logicalPrefixedName(`${scope.id}-${id}`));
    if (family === "node" && typeof this.runtime === "string" && this.runtime !== "nodejs20.x") {
      scope.app.notice(`runtime "${this.runtime}" is accepted; functions run on this machine's Node.js ${process.version}.`);
    }
    for (const key of unhonouredProps(this.props)) {
      scope.app.notice(`function prop "${key}" is accepted and has no effect locally.`);
    }
    scope.app.registerFunction(this);
  }

  /** The function's ARN, as CDK's `fn.functionArn`. */
  get functionArn(): string {
    return `arn:aws:lambda:${this.stack.region}:${this.stack.account}:function:${this.functionName}`;
  }

  /** The function's IAM role: not emulated, so a stand-in that prints as a token. */
  get role(): string {
    return unemulatedToken(`${this.manifestId}.role`);
  }

  /** Adds an environment variable, as SST's addEnvironment does. */
  addEnvironment(name: string, value: unknown): this {
    // A value read off an unemulated construct (a callable stand-in), a number or a boolean prints as text.
    if (typeof value !== "string" && typeof value !== "function" && typeof value !== "number" && typeof value !== "boolean") {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: environment "${name}" must be a string, not ${JSON.stringify(value)}.`);
    }
    this.environment[name] = String(value);
    return this;
  }

  /** Kept for a cloud target (docs/sst-apps.md); IAM permissions are not enforced locally. */
  attachPermissions(permissions: unknown): void {
    this.permissions = combinePermissions(this.permissions, toPermissions(permissions, this.where));
    this.stack.app.notice("attachPermissions is accepted; IAM permissions are not enforced locally.");
  }

  /** CDK grants and event sources have no local effect; accepted so stacks run unchanged. */
  grantInvoke(_grantee: unknown): void {}
  addPermission(_id: string, _permission: unknown): void {}
  addEventSource(_source: unknown): void {
    this.stack.app.notice(`${this.where}: addEventSource is accepted; CDK event sources do not invoke functions locally.`);
  }
  addLayers(..._layers: unknown[]): void {}
  addToRolePolicy(statement: unknown): void {
    this.attachPermissions([statement]);
  }

  synth(): FunctionManifest {
    return {
      id: this.manifestId,
      stackId: this.stack.id,
      constructId: this.id,
      handler: this.props.handler as string,
      // Relative, so a manifest moves with its app (docs/aws-target.md); backends resolve it against app.root.
      entry: relative(this.stack.app.root, this.entry).split(sep).join("/"),
      exportName: this.exportName,
      functionName: this.functionName,
      environment: { ...this.environment },
      timeout: this.props.timeout as number,
      memorySize: this.props.memorySize as number,
      runtime: this.runtime ?? SST_DEFAULT_RUNTIME,
      logRetentionDays: this.logRetentionDays,
      permissions: this.permissions.map((permission) => (typeof permission === "string" ? permission : { ...permission })),
      location: this.location,
      owner: { ...this.owner },
      ...(this.bundle === undefined ? {} : { bundle: this.bundle }),
    };
  }
}

/** The runtime's Lambda name from a string or a CDK `Runtime` object; refuses names Lambda does not know. */
function runtimeName(runtime: unknown, where: string): string | undefined {
  if (runtime === undefined) return undefined;
  const name = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || runtimeFamily(name) === null) {
    throw new GatehouseError(
      "GH_ERR_CONSTRUCT_INVALID",
      `${where}: runtime ${JSON.stringify(name ?? runtime)} is not a Lambda runtime. Fix: use one such as "nodejs14.x", "python3.8" or "go1.x".`,
    );
  }
  return name;
}

/** The `bundle` prop (and sst.json's `esbuildConfig`) as the bundler applies it. */
function bundleOptions(bundle: unknown, app: Stack["app"], where: string): FunctionBundle | undefined {
  const appPlugins = (app as { esbuildConfig?: string }).esbuildConfig ?? null;
  if (bundle === undefined || bundle === true || bundle === false) {
    return appPlugins === null ? undefined : { external: [], loader: {}, esbuildConfig: appPlugins, define: {} };
  }
  if (typeof bundle !== "object" || bundle === null) {
    throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: bundle must be true, false or an object of bundling options.`);
  }
  const options = bundle as Record<string, unknown>;
  const list = (key: string): string[] => {
    const value = options[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: bundle.${key} must be a list of module names.`);
    }
    return value as string[];
  };
  const loader = (options.loader ?? {}) as Record<string, string>;
  if (typeof loader !== "object" || Object.values(loader).some((value) => typeof value !== "string")) {
    throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: bundle.loader must map extensions to esbuild loaders, e.g. { ".png": "file" }.`);
  }
  // bundle.esbuildConfig: a path (v0.33–v0.5x) or { plugins, define, keepNames } (v0.60).
  const config = options.esbuildConfig;
  const configObject = typeof config === "object" && config !== null ? (config as Record<string, unknown>) : {};
  const pluginsPath = typeof config === "string" ? config : typeof configObject.plugins === "string" ? configObject.plugins : null;
  const plugins = pluginsPath === null ? appPlugins : isAbsolute(pluginsPath) ? pluginsPath : join(app.root, pluginsPath);
  if (plugins !== null && !existsSync(plugins)) {
    throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: bundle.esbuildConfig names ${plugins}, which does not exist.`);
  }
  for (const key of BUNDLE_KEYS_WITHOUT_LOCAL_EFFECT) {
    if (options[key] !== undefined) app.notice(`bundle.${key} is accepted and has no effect locally.`);
  }
  const define = (configObject.define ?? {}) as Record<string, string>;
  return { external: [...list("externalModules"), ...list("nodeModules")], loader: { ...loader }, esbuildConfig: plugins, define: { ...define } };
}

/** `logRetention` as days: a number, or CDK's RetentionDays (whose values are days); null when unset. */
function logRetentionDays(value: unknown, where: string): number | null {
  if (value === undefined) return null;
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: logRetention must be a number of days (e.g. 14, or RetentionDays.TWO_WEEKS).`);
}

/** Lambda names allow [A-Za-z0-9-_] and 64 characters. */
function lambdaName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_-]/g, "-");
  return clean.length <= 64 ? clean : clean.slice(0, 64);
}

registerConstructKind({ kind: "sst.Function", exportName: "Function", construct: SstFunction });
