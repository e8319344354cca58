import { LOCAL_ACCOUNT_ID } from "../manifest/manifest.js";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import type { FunctionSpec } from "./types.js";
import type { WorkerData } from "./worker-messages.js";

/** The credentials every handler runs with locally; local services accept them and check nothing. */
export const LOCAL_ACCESS_KEY_ID = "AKIAGATEHOUSELOCAL00";
export const LOCAL_SECRET_ACCESS_KEY = "gatehouse-local-secret-access-key";

// Lambda's placeholder account id, as SST's local mode and the Lambda emulators use it.

/** The ARN Lambda would give the unqualified function. */
export function functionArn(spec: FunctionSpec): string {
  return `arn:aws:lambda:${spec.region}:${LOCAL_ACCOUNT_ID}:function:${spec.functionName}`;
}

/** Lambda's log stream name for a new execution environment: `2024/05/01/[$LATEST]<32 hex>`. */
export function newLogStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[$LATEST]${randomBytes(16).toString("hex")}`;
}

/**
 * The variables a handler sees in process.env: Lambda's standard ones, PATH/HOME/TZ from this process, then
 * the function's own environment (which wins). Nothing else of this process leaks in (no NODE_ENV, no secrets).
 */
export function lambdaEnvironment(spec: FunctionSpec, logStreamName: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TZ"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, {
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs20.x",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    LAMBDA_TASK_ROOT: dirname(spec.bundlePath),
    // Lambda's own value; nothing is installed there locally, handlers only read it.
    LAMBDA_RUNTIME_DIR: "/var/runtime",
    LANG: "en_US.UTF-8",
    _HANDLER: spec.handler,
    // Lambda always hands a function its role's credentials. Fixed local ones keep AWS SDKs from looking
    // further (~/.aws, the instance metadata service) and are all the local services need (docs/tables.md).
    AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
    AWS_EC2_METADATA_DISABLED: "true",
    // The SDKs warn about this machine's Node.js (v3) and about v2's end of support at every worker start;
    // neither is news about the handler, and each would print as an ERROR line per worker.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
  });
  return Object.assign(env, spec.environment);
}

/** What one worker of `spec` is started with; `claims` is its ClaimSlots memory. */
export function lambdaWorkerData(spec: FunctionSpec, logStreamName: string, claims: Int32Array): WorkerData {
  return {
    bundlePath: spec.bundlePath,
    exportName: spec.exportName,
    handler: spec.handler,
    functionName: spec.functionName,
    memoryMb: spec.memoryMb,
    timeoutMs: spec.timeoutMs,
    invokedFunctionArn: functionArn(spec),
    logGroupName: `/aws/lambda/${spec.functionName}`,
    logStreamName,
    claims,
  };
}
