/**
 * One error catalogue for the whole product. Every user-facing failure carries a stable code from the table
 * below, so callers `switch (err.code)` and tests assert on the code, never on message text. Each entry says
 * what the code means; docs/errors.md lists them for users (a test keeps the two in step).
 */
export const ERROR_CATALOGUE = {
  GH_ERR_CONFIG_NOT_FOUND: "No sst.json in the directory or above it.",
  GH_ERR_CONFIG_INVALID: "sst.json is not valid JSON or breaks its schema.",
  GH_ERR_STACKS_ENTRY_NOT_FOUND: "The stacks entry (sst.json `main`, else lib/index, else stacks/index) does not exist; the message lists every path searched.",
  GH_ERR_STACKS_BUILD_FAILED: "The stacks failed to compile.",
  GH_ERR_STACKS_RUN_FAILED: "The stacks' main(app) threw, created nothing, or never finished.",
  GH_ERR_ROUTE_INVALID: "A route key is not one API Gateway accepts.",
  GH_ERR_ROUTE_DUPLICATE: "Two routes of one Api have the same key.",
  GH_ERR_HANDLER_NOT_FOUND: "A function's handler file does not exist.",
  GH_ERR_HANDLER_EXPORT_NOT_FOUND: "A handler file does not export the named function.",
  GH_ERR_HANDLER_BUILD_FAILED: "A handler failed to compile.",
  GH_ERR_AUTHORIZER_MISSING: "A route names an authorizer the Api does not define.",
  GH_ERR_AUTHORIZER_INVALID: "An authorizer's settings are not ones API Gateway accepts.",
  GH_ERR_CONSTRUCT_INVALID: "A construct was given props it cannot take.",
  GH_ERR_USAGE: "The command line does not parse: unknown command or flag, missing argument or flag value (exit code 2).",
  GH_ERR_FLAG_INVALID: "A command-line flag or argument has a value Gatehouse cannot use.",
  GH_ERR_PERMISSION_DENIED: "A file or folder Gatehouse must read or write is not permitted (permissions, read-only file system).",
  GH_ERR_PATH_TOO_LONG: "A file or folder name is longer than the file system allows.",
  GH_ERR_DISK_FULL: "The disk or the user's quota is full.",
  GH_ERR_STAGE_IN_USE: "A running `gatehouse dev` serves the stage, so it cannot be removed or served a second time meanwhile.",
  GH_ERR_ISSUER_UNREACHABLE: "A deployed stage's JWT issuer does not answer from this machine, so its tokens cannot be verified offline.",
  GH_ERR_PORT_IN_USE: "A port Gatehouse needs is held by another process.",
  GH_ERR_IDP_INVALID: "An identity-provider command was given something it cannot use.",
  GH_ERR_HOST_FAILED: "The host that serves deployed stages could not be started or reached.",
  GH_ERR_HOST_RUNNING: "Another host already holds this GATEHOUSE_HOME; only one host may run per home.",
  GH_ERR_HOST_UNRESPONSIVE: "The host holding GATEHOUSE_HOME does not answer (stopped or hung); no second host is started.",
  GH_ERR_STAGE_BUSY: "Another deploy or remove of the same stage is running and did not finish in time.",
  GH_ERR_EMAIL_INVALID: "An e-mail address breaks the rules of docs/identity-input.md (length, characters, shape).",
  GH_ERR_DEPLOY_FAILED: "A deploy did not go live.",
  GH_ERR_STAGE_NOT_FOUND: "The named stage is not deployed.",
  GH_ERR_MANIFEST_INVALID: "A stored manifest is malformed or of another version.",
  GH_ERR_AWS_UNSUPPORTED: "The app uses a construct or setting that has no AWS form in the AWS target (e.g. the self-hosted Auth tenant).",
  GH_ERR_AWS_NO_CREDENTIALS: "No AWS credentials in the environment, the shared credentials file or the config file (profile or SSO).",
  GH_ERR_AWS_CREDENTIALS_REJECTED: "AWS refused the credentials (unknown, expired, or an SSO session that needs `aws sso login`).",
  GH_ERR_AWS_UNREACHABLE: "An AWS endpoint could not be reached (network down, wrong AWS_ENDPOINT_URL, proxy) within the time allowed.",
  GH_ERR_AWS_DEPLOY_FAILED: "AWS CloudFormation did not deploy or destroy a stack (the reason is AWS's own message).",
  GH_ERR_ESBUILD_CONFIG_INVALID: "An esbuildConfig file (sst.json or a function's bundle) failed to load or exports no valid plugins.",
  GH_ERR_RUNTIME_NOT_LOCAL: "A function's runtime (Go, Python, …) is not run locally; calls to it are answered with this code.",
  GH_ERR_RESOURCE_NOT_FOUND: "A topic, queue or cron named in a local invocation does not exist in the app.",
  GH_ERR_CONSOLE_INVALID: "The dev console was asked for something it cannot do (unknown request, malformed input).",
  GH_ERR_STATE_IN_USE: "A stage's local data (its tables) is held by another running Gatehouse process.",
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** A failure the user can fix; printed as one line with its code, without a stack. */
export class GatehouseError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GatehouseError";
    this.code = code;
  }
}

/**
 * True when `err` is a GatehouseError, optionally with the given code. Checked by shape, not class: the
 * constructs run inside the app's stacks bundle, which carries its own copy of this class.
 */
export function isGatehouseError(err: unknown, code?: ErrorCode): err is GatehouseError {
  const candidate = err as GatehouseError | null;
  return (
    candidate instanceof Error &&
    candidate.name === "GatehouseError" &&
    typeof candidate.code === "string" &&
    (code === undefined || candidate.code === code)
  );
}
