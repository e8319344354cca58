import type { FunctionManifest } from "../manifest/manifest.js";
import { awsRuntime } from "./aws-runtime.js";
import { toPolicyStatement } from "./map-permissions.js";
import type { SynthContext } from "./synth-context.js";

/** Days a function's logs are kept when the app does not say (docs/aws-target.md). */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/**
 * One Lambda function per manifest function, from its production bundle directory (`bundleDirs[id]` holds
 * `<id>.mjs` and its source map): the handler is that bundle's export; runtime, timeout, memory and
 * environment as the manifest says; source maps on; its own log group with a retention; attached
 * permissions as grants on its role.
 */
export function mapFunctions(ctx: SynthContext, bundleDirs: Record<string, string>): void {
  for (const fn of Object.values(ctx.manifest.functions)) ctx.functions.set(fn.id, mapFunction(ctx, fn, bundleDirs[fn.id]));
}

function mapFunction(ctx: SynthContext, fn: FunctionManifest, bundleDir: string | undefined) {
  const { core, lambda, logs } = ctx.cdk;
  if (!bundleDir) throw new Error(`internal: no bundle for function ${fn.id}`);
  const stack = ctx.stack(fn.stackId);
  const { runtime, notice } = awsRuntime(fn.runtime);
  if (notice) ctx.notice(notice);
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(fn.environment)) {
    environment[name] = ctx.resolve(value, `${fn.location ?? fn.stackId}: function "${fn.constructId}" environment ${name}`);
  }
  // Stack traces name the app's files, not the minified bundle's (docs/aws-target.md).
  environment.NODE_OPTIONS = [environment.NODE_OPTIONS, "--enable-source-maps"].filter(Boolean).join(" ");
  environment.AWS_NODEJS_CONNECTION_REUSE_ENABLED ??= "1";
  const retention = fn.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
  const logGroup = new logs.LogGroup(stack, `${fn.id}-Logs`, {
    retention: retention as import("aws-cdk-lib/aws-logs").RetentionDays,
    // A removed stage leaves nothing behind, its logs included.
    removalPolicy: core.RemovalPolicy.DESTROY,
  });
  const created = new lambda.Function(stack, fn.id, {
    code: lambda.Code.fromAsset(bundleDir),
    handler: `${fn.id}.${fn.exportName}`,
    runtime: new lambda.Runtime(runtime, lambda.RuntimeFamily.NODEJS),
    timeout: core.Duration.seconds(Math.ceil(fn.timeout)),
    memorySize: fn.memorySize,
    environment,
    logGroup,
    description: fn.handler,
  });
  const where = `${fn.location ?? fn.stackId}: function "${fn.constructId}"`;
  for (const permission of fn.permissions) created.addToRolePolicy(toPolicyStatement(ctx, permission, where));
  return created;
}
