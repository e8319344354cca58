/**
 * One error base for the whole product. Every user-facing failure carries a stable code so callers can
 * `switch (err.code)` and tests can assert on it; the message names the file or flag, what is wrong and the fix.
 */
export type ErrorCode =
  | "CONFIG_NOT_FOUND"
  | "CONFIG_INVALID"
  | "STACKS_ENTRY_NOT_FOUND"
  | "STACKS_BUILD_FAILED"
  | "STACKS_RUN_FAILED"
  | "ROUTE_INVALID"
  | "ROUTE_DUPLICATE"
  | "HANDLER_NOT_FOUND"
  | "HANDLER_EXPORT_NOT_FOUND"
  | "HANDLER_BUILD_FAILED"
  | "AUTHORIZER_MISSING"
  | "AUTHORIZER_INVALID"
  | "CONSTRUCT_INVALID"
  | "FLAG_INVALID"
  | "PORT_IN_USE"
  | "IDP_INVALID"
  | "HOST_FAILED"
  | "DEPLOY_FAILED"
  | "STAGE_NOT_FOUND";

/** A failure the user can fix; printed without a stack. */
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
    candidate instanceof Error && candidate.name === "GatehouseError" && typeof candidate.code === "string" && (code === undefined || candidate.code === code)
  );
}
