import { GatehouseError } from "../../errors.js";
import type { App } from "./app.js";
import { callerLocation } from "./source-location.js";

type OutputInput = string | { value: string; exportName?: string; description?: string };

/** SST's Stack: a named group of constructs with outputs. */
export class Stack {
  readonly app: App;
  readonly id: string;
  readonly stackName: string;
  readonly outputs: Record<string, string> = {};
  readonly location: string | null;
  readonly node: { id: string };

  constructor(scope: App, id: string, _props?: unknown) {
    if (!scope || !Array.isArray((scope as App).stacks)) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `Stack "${id}": the first argument must be the app passed to main(app).`);
    }
    this.app = scope;
    this.id = id;
    this.node = { id };
    this.location = callerLocation(scope.root);
    if (scope.stacks.some((stack) => stack.id === id)) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.location ?? "stacks"}: two stacks are named "${id}". Fix: give each stack a unique id.`);
    }
    this.stackName = scope.logicalPrefixedName(id);
    scope.stacks.push(this);
  }

  get stage(): string {
    return this.app.stage;
  }

  get region(): string {
    return this.app.region;
  }

  get account(): string {
    return this.app.account;
  }

  /** Adds stack outputs; values may be tokens such as `api.url`. */
  addOutputs(outputs: Record<string, OutputInput>): void {
    for (const [key, value] of Object.entries(outputs)) {
      const text = typeof value === "string" ? value : value?.value;
      if (typeof text !== "string") {
        throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.location ?? this.id}: output "${key}" must be a string or { value }.`);
      }
      this.outputs[key] = text;
    }
  }

  /** Same defaults as App.setDefaultFunctionProps, limited to this stack. */
  setDefaultFunctionProps(props: import("./function-props.js").FunctionProps): void {
    this.app.setDefaultFunctionProps((stack) => (stack === this ? props : {}));
  }
}
