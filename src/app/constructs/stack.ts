import { GatehouseError } from "../../errors.js";
import type { App } from "./app.js";
import { ConstructNode, STACK_BRAND, stackOf } from "./construct-node.js";
import type { SstFunction } from "./function.js";
import { registerConstructKind } from "./registry.js";
import { callerLocation } from "./source-location.js";

type OutputInput = string | { value: string; exportName?: string; description?: string };

/** SST's Stack: a named group of constructs with outputs. */
export class Stack {
  readonly app: App;
  readonly id: string;
  readonly stackName: string;
  readonly outputs: Record<string, string> = {};
  readonly location: string | null;
  readonly node: ConstructNode;
  readonly [STACK_BRAND] = true as const;

  static isStack(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [STACK_BRAND]?: true })[STACK_BRAND] === true;
  }

  /** CDK's `Stack.of(construct)`: the stack a construct belongs to. */
  static of(construct: unknown): Stack {
    const stack = stackOf<Stack>(construct);
    if (!stack) throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", "Stack.of: the construct is not inside a stack.");
    return stack;
  }

  constructor(scope: App, id: string, _props?: unknown) {
    if (!scope || !Array.isArray((scope as App).stacks)) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `Stack "${id}": the first argument must be the app passed to main(app).`);
    }
    this.app = scope;
    this.id = id;
    this.node = new ConstructNode(this, scope, id);
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

  get partition(): string {
    return "aws";
  }

  get urlSuffix(): string {
    return "amazonaws.com";
  }

  /** CDK's two-zone answer for an environment-agnostic stack, named after the region. */
  get availabilityZones(): string[] {
    return [`${this.region}a`, `${this.region}b`];
  }

  /** Every function of this stack, as SST's `stack.getAllFunctions()`. */
  getAllFunctions(): SstFunction[] {
    return [...this.app.functions.values()].filter((fn) => fn.stack === this);
  }

  /** CDK's stack dependencies order deployment; everything is local at once, so there is nothing to do. */
  addDependency(_other: unknown): void {}

  get artifactId(): string {
    return this.stackName;
  }

  get templateFile(): string {
    return `${this.stackName}.template.json`;
  }

  get tags(): { setTag(key: string, value: string): void } {
    return { setTag: () => {} };
  }

  /** Adds stack outputs; values may be tokens such as `api.url`. */
  addOutputs(outputs: Record<string, OutputInput>): void {
    for (const [key, value] of Object.entries(outputs)) {
      const raw = typeof value === "object" && value !== null && "value" in value ? value.value : value;
      // A value read off an unemulated construct is a stand-in that prints as its token.
      const text = typeof raw === "string" ? raw : typeof raw === "function" || typeof raw === "number" ? String(raw) : undefined;
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

registerConstructKind({ kind: "sst.Stack", exportName: "Stack", construct: Stack });
