import { existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { GatehouseError } from "../../errors.js";
import type { FunctionManifest, PermissionManifest } from "../../manifest/manifest.js";
import { toSeconds } from "./duration.js";
import { type FunctionProps, mergeFunctionProps, unhonouredProps } from "./function-props.js";
import { combinePermissions, toPermissions } from "./permissions.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

const HANDLER_EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".jsx", ".mjs", ".cjs"];
const DEFAULT_TIMEOUT_SECONDS = 10;
const DEFAULT_MEMORY_MB = 1024;
const NODE_RUNTIME = /^nodejs\d+\.x$/;
/** SST 0.x's default runtime for every function (docs/aws-target.md). */
export const SST_DEFAULT_RUNTIME = "nodejs12.x";

/** SST's Function: a handler file and export, with the props it runs under. */
export class SstFunction {
  readonly stack: Stack;
  readonly id: string;
  readonly manifestId: string;
  readonly props: FunctionProps;
  readonly entry: string;
  readonly exportName: string;
  readonly functionName: string;
  readonly location: string | null;
  private readonly environment: Record<string, string>;
  private permissions: PermissionManifest[];
  private readonly where: string;
  private readonly runtime: string;
  private readonly logRetentionDays: number | null;

  /**
   * `context` names the construct for error messages (e.g. `Api "Api" route "GET /x"`); `extraDefaults` are
   * defaults that sit between the app's and the function's own props (an Api's defaultFunctionProps).
   */
  constructor(
    scope: Stack,
    id: string,
    props: FunctionProps | string,
    options: { context?: string; extraDefaults?: FunctionProps[]; manifestId?: string; location?: string | null } = {},
  ) {
    this.stack = scope;
    this.id = id;
    this.location = options.location ?? callerLocation(scope.app.root);
    const own = typeof props === "string" ? { handler: props } : props;
    this.props = mergeFunctionProps(...scope.app.defaultFunctionProps(scope), ...(options.extraDefaults ?? []), own);
    const where = `${this.location ?? scope.id}: ${options.context ?? `Function "${id}"`}`;
    this.where = where;
    const handler = this.props.handler;
    if (typeof handler !== "string" || !handler.includes(".")) {
      throw new GatehouseError(
        "GH_ERR_CONSTRUCT_INVALID",
        `${where}: handler ${JSON.stringify(handler)} must be "path/to/file.exportName", e.g. "src/lambda.main".`,
      );
    }
    const dot = handler.lastIndexOf(".");
    this.exportName = handler.slice(dot + 1);
    const base = join(scope.app.root, this.props.srcPath ?? "", handler.slice(0, dot));
    const entry = HANDLER_EXTENSIONS.map((ext) => base + ext).find((candidate) => existsSync(candidate));
    if (!entry) {
      const shown = relative(scope.app.root, base);
      throw new GatehouseError(
        "GH_ERR_HANDLER_NOT_FOUND",
        `${where}: handler "${handler}" points to ${shown}.{js,ts}, which does not exist. Fix: create ${shown}.js exporting "${this.exportName}", or correct the handler path.`,
      );
    }
    this.entry = entry;
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
    this.environment = { ...(this.props.environment ?? {}) };
    this.manifestId = options.manifestId ?? `${scope.id}-${id}`;
    this.functionName = lambdaName(scope.app.logicalPrefixedName(`${scope.id}-${id}`));
    // A CDK Runtime object (lambda.Runtime.NODEJS_14_X) carries its name.
    const declared = this.props.runtime;
    const runtime = typeof (declared as { name?: unknown } | undefined)?.name === "string" ? (declared as { name: string }).name : declared;
    if (runtime !== undefined && !(typeof runtime === "string" && NODE_RUNTIME.test(runtime))) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: runtime ${JSON.stringify(runtime)} is not a Node.js runtime; Gatehouse runs Node.js handlers only.`);
    }
    this.runtime = (runtime as string | undefined) ?? SST_DEFAULT_RUNTIME;
    this.permissions = this.props.permissions === undefined ? [] : toPermissions(this.props.permissions, where);
    this.logRetentionDays = logRetentionDays(this.props.logRetention, where);
    if (typeof runtime === "string" && runtime !== "nodejs20.x") {
      scope.app.notice(`runtime "${runtime}" is accepted; functions run on this machine's Node.js ${process.version}.`);
    }
    for (const key of unhonouredProps(this.props)) {
      scope.app.notice(`function prop "${key}" is accepted and has no effect locally.`);
    }
    scope.app.registerFunction(this);
  }

  /** Adds an environment variable, as SST's addEnvironment does. */
  addEnvironment(name: string, value: string): this {
    this.environment[name] = value;
    return this;
  }

  /** Grants the function more permissions: recorded for cloud targets, not enforced locally. */
  attachPermissions(permissions: unknown): void {
    this.permissions = combinePermissions(this.permissions, toPermissions(permissions, this.where));
    this.stack.app.notice("attachPermissions is accepted; IAM permissions are not enforced locally.");
  }

  synth(): FunctionManifest {
    return {
      id: this.manifestId,
      stackId: this.stack.id,
      constructId: this.id,
      handler: this.props.handler as string,
      entry: relative(this.stack.app.root, this.entry).split(sep).join("/"),
      exportName: this.exportName,
      functionName: this.functionName,
      environment: { ...this.environment },
      timeout: this.props.timeout as number,
      memorySize: this.props.memorySize as number,
      runtime: this.runtime,
      logRetentionDays: this.logRetentionDays,
      permissions: [...this.permissions],
      location: this.location,
    };
  }
}

/** Lambda names allow [A-Za-z0-9-_] and 64 characters. */
function lambdaName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_-]/g, "-");
  return clean.length <= 64 ? clean : clean.slice(0, 64);
}

/** `logRetention` as days: a number, or CDK's RetentionDays (whose values are days); null when unset. */
function logRetentionDays(value: unknown, where: string): number | null {
  if (value === undefined) return null;
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: logRetention must be a number of days (e.g. 14, or RetentionDays.TWO_WEEKS).`);
}
