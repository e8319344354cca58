import type { FunctionOwner } from "../../manifest/manifest.js";
import { SstFunction } from "./function.js";
import type { FunctionProps } from "./function-props.js";
import type { Stack } from "./stack.js";

/** What SST constructs accept wherever they take a function: a handler string, props, or an `sst.Function`. */
export type FunctionDefinition = string | FunctionProps | SstFunction;

/** The `sst.Function` for a definition, created in `scope` with id `id` unless it already is one. */
export function functionFromDefinition(
  scope: Stack,
  id: string,
  definition: FunctionDefinition,
  options: { defaults?: FunctionProps; owner: FunctionOwner; context: string; location: string | null },
): SstFunction {
  if (definition instanceof SstFunction || (typeof definition === "object" && definition !== null && "manifestId" in definition)) {
    return definition as SstFunction;
  }
  return new SstFunction(scope, id, definition as FunctionProps | string, {
    context: options.context,
    extraDefaults: options.defaults ? [options.defaults] : [],
    location: options.location,
    owner: options.owner,
  });
}

/** `{ function, <key> }` wrappers (`{ function, subscriberProps }`) unwrapped to their function definition. */
export function unwrapFunction(value: unknown): FunctionDefinition | undefined {
  if (value && typeof value === "object" && "function" in value && !("handler" in value)) {
    return (value as { function: FunctionDefinition }).function;
  }
  return value as FunctionDefinition | undefined;
}
