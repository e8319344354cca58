/**
 * The parts of CDK's core (`@aws-cdk/core`, `aws-cdk-lib`) that stacks use for more than declaring cloud
 * resources, with their local meaning (docs/sst-apps.md, "CDK code in stacks").
 */
import { LOCAL_ACCOUNT_ID } from "../../manifest/manifest.js";
import { GatehouseError } from "../../errors.js";
import { stackOf } from "../constructs/construct-node.js";
import { callerLocation } from "../constructs/source-location.js";
import type { Stack } from "../constructs/stack.js";
import { CdkRecorder } from "./cdk-recorder.js";
import { standIn } from "./recorded-construct.js";

export interface CfnOutputProps {
  value: unknown;
  description?: string;
  exportName?: string;
  condition?: unknown;
}

/** `new cdk.CfnOutput(this, "Name", { value })`: the output appears in the stack's outputs block, as SST prints it. */
export class CfnOutput {
  readonly value: string;
  readonly exportName: string | undefined;
  readonly description: string | undefined;

  constructor(scope: unknown, id: string, props: CfnOutputProps) {
    const stack = stackOf<Stack>(scope);
    if (!stack) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${id}: CfnOutput must be created inside a stack (new CfnOutput(this, "${id}", { value })).`);
    }
    if (props?.value === undefined || props.value === null) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${callerLocation(stack.app.root) ?? stack.id}: CfnOutput "${id}" has no value.`);
    }
    this.value = String(props.value);
    this.exportName = props.exportName;
    this.description = props.description;
    stack.addOutputs({ [id]: this.value });
  }
}

/** Tags have no local meaning; the App keeps them so a cloud target can apply them. */
class TagManager {
  constructor(private readonly scope: unknown) {}

  add(key: string, value: string, _props?: unknown): void {
    const stack = stackOf<Stack>(this.scope);
    const app = stack?.app ?? (this.scope as { tags?: unknown[] } | null);
    const path = (this.scope as { node?: { path?: string } } | null)?.node?.path ?? "";
    (app as { tags?: Array<{ path: string; key: string; value: string }> } | null)?.tags?.push({ path, key, value: String(value) });
    const recorder = CdkRecorder.current();
    recorder?.tag(this.scope, key, String(value), recorder.location());
  }

  remove(_key: string, _props?: unknown): void {}
}

export const Tags = {
  of(scope: unknown): TagManager {
    return new TagManager(scope);
  },
};

/** CDK v1's `Tag.add(scope, key, value)` (deprecated there, still common in 2021 stacks). */
export class Tag {
  static add(scope: unknown, key: string, value: string): void {
    Tags.of(scope).add(key, value);
  }
  static remove(scope: unknown, key: string): void {
    Tags.of(scope).remove(key);
  }
  constructor(
    readonly key: string,
    readonly value: string,
  ) {}
}

/** CDK's pseudo parameters: the region comes from CDK_DEFAULT_REGION, which dev sets to the app's region. */
export const Aws = {
  get ACCOUNT_ID(): string {
    return process.env.CDK_DEFAULT_ACCOUNT ?? LOCAL_ACCOUNT_ID;
  },
  get REGION(): string {
    return process.env.CDK_DEFAULT_REGION ?? "us-east-1";
  },
  PARTITION: "aws",
  URL_SUFFIX: "amazonaws.com",
  NO_VALUE: "",
  get STACK_NAME(): string {
    return standIn("Aws.STACK_NAME", null, undefined, { get: [{ class: { module: "aws-cdk-lib", name: "Aws" } }, "STACK_NAME"] }).toString();
  },
  get STACK_ID(): string {
    return standIn("Aws.STACK_ID", null, undefined, { get: [{ class: { module: "aws-cdk-lib", name: "Aws" } }, "STACK_ID"] }).toString();
  },
};

/** CloudFormation intrinsic functions: `join` and `select` compute; the rest are tokens. */
export const Fn = new Proxy(
  {
    join: (delimiter: string, values: unknown[]): string => values.map(String).join(delimiter),
    select: (index: number, values: unknown[]): unknown => values[index],
    split: (delimiter: string, source: string): string[] => String(source).split(delimiter),
    sub: (body: string, variables: Record<string, unknown> = {}): string =>
      body.replace(/\$\{([^}]+)\}/g, (whole, name: string) => (name in variables ? String(variables[name]) : whole)),
  } as Record<string, unknown>,
  {
    get(known, prop) {
      if (typeof prop === "symbol") return undefined;
      return prop in known ? known[prop] : standIn(`Fn.${prop}`, null);
    },
  },
);

/** Tokens and lazy values resolve at once locally. */
export const Token = {
  asString: (value: unknown): string => String(value),
  asNumber: (value: unknown): number => Number(value),
  asList: (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]),
  isUnresolved: (value: unknown): boolean => typeof value === "string" && value.includes("${Token["),
};

export const Lazy = {
  string: (producer: { produce(): unknown }): string => String(producer.produce()),
  stringValue: (producer: { produce(): unknown }): string => String(producer.produce()),
  number: (producer: { produce(): unknown }): number => Number(producer.produce()),
  list: (producer: { produce(): unknown }): unknown => producer.produce(),
  any: (producer: { produce(): unknown }): unknown => producer.produce(),
};
