/**
 * One error catalogue for the whole product. Every user-facing failure carries a stable code from the table
 * below, so callers `switch (err.code)` and tests assert on the code, never on message text. Each entry says
 * what the code means; docs/errors.md lists them for users (a test keeps the two in step).
 */
export const ERROR_CATALOGUE = {
  GH_ERR_CONFIG_NOT_FOUND: "No sst.json in the directory or above it.",
  GH_ERR_CONFIG_INVALID: "sst.json is not valid JSON or breaks its schema.",
  GH_ERR_STACKS_ENTRY_NOT_FOUND: "The stacks entry (sst.json `main`, else stacks/ or lib/ index) does not exist.",
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
  GH_ERR_FLAG_INVALID: "A command-line flag or argument is unknown or malformed.",
  GH_ERR_PORT_IN_USE: "A port Gatehouse needs is held by another process.",
  GH_ERR_IDP_INVALID: "An identity-provider command was given something it cannot use.",
  GH_ERR_HOST_FAILED: "The host that serves deployed stages could not be started or reached.",
  GH_ERR_DEPLOY_FAILED: "A deploy did not go live.",
  GH_ERR_STAGE_NOT_FOUND: "The named stage is not deployed.",
  GH_ERR_MANIFEST_INVALID: "A stored manifest is malformed or of another version.",
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
