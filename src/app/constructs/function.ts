import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { GatehouseError } from "../../errors.js";
import type { FunctionManifest } from "../../manifest/manifest.js";
import { toSeconds } from "./duration.js";
import { type FunctionProps, mergeFunctionProps, unhonouredProps } from "./function-props.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

const HANDLER_EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".jsx", ".mjs", ".cjs"];
const DEFAULT_TIMEOUT_SECONDS = 10;
const DEFAULT_MEMORY_MB = 1024;
const NODE_RUNTIME = /^nodejs\d+\.x$/;

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
    const runtime = this.props.runtime;
    if (runtime !== undefined && !(typeof runtime === "string" && NODE_RUNTIME.test(runtime))) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: runtime ${JSON.stringify(runtime)} is not a Node.js runtime; Gatehouse runs Node.js handlers only.`);
    }
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

  /** Permissions have no local meaning; accepted so stacks run unchanged. */
  attachPermissions(_permissions: unknown): void {
    this.stack.app.notice("attachPermissions is accepted; IAM permissions are not enforced locally.");
  }

  synth(): FunctionManifest {
    return {
      id: this.manifestId,
      handler: this.props.handler as string,
      entry: this.entry,
      exportName: this.exportName,
      functionName: this.functionName,
      environment: { ...this.environment },
      timeout: this.props.timeout as number,
      memorySize: this.props.memorySize as number,
    };
  }
}

/** Lambda names allow [A-Za-z0-9-_] and 64 characters. */
function lambdaName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_-]/g, "-");
  return clean.length <= 64 ? clean : clean.slice(0, 64);
}
