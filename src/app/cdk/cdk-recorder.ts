/**
 * Records the CDK code the stacks run against Gatehouse's stand-ins (recorded-construct.ts) as data: each `new`
 * and method call on a stand-in is one op, each value the stacks read off one (`pool.userPoolId`) an
 * expression, so that a cloud target runs the same code with the real aws-cdk-lib (docs/aws-target.md,
 * "CDK code in stacks"). Recording never fails a stack: what cannot be carried over is written down as
 * unsupported and only a target that needs it says so.
 */
import type { CdkCode, CdkOp, CdkValue } from "../../manifest/cdk-code.js";
import { STACK_BRAND } from "../constructs/construct-node.js";
import { Duration } from "../constructs/duration.js";
import { callerLocation } from "../constructs/source-location.js";
import { PolicyStatement } from "./aws-iam.js";
import { Runtime } from "./aws-lambda.js";

/** SST constructs that a cloud target makes itself answer this with how recorded code refers to them. */
export const CDK_REFERENCE = Symbol.for("gatehouse.cdkReference");

/** What a stand-in stands for, by stand-in (a proxy): filled by recorded-construct.ts. */
const EXPRESSIONS = new WeakMap<object, CdkValue>();

export function setExpression(standIn: object, expression: CdkValue): void {
  EXPRESSIONS.set(standIn, expression);
}

export function expressionOf(value: unknown): CdkValue | undefined {
  return value !== null && (typeof value === "object" || typeof value === "function") ? EXPRESSIONS.get(value as object) : undefined;
}

/** One synth's recording. The stacks of one synth run one at a time, so one recorder is active at once. */
export class CdkRecorder {
  private static active: CdkRecorder | null = null;
  private readonly ops: CdkOp[] = [];
  private readonly values: Record<string, CdkValue> = {};
  private nextRef = 0;

  constructor(private readonly appRoot: string) {}

  /** Where in the app's files the code being recorded now was written. */
  location(): string | null {
    return callerLocation(this.appRoot);
  }

  /** The recorder of the synth running now; null outside one (a stand-in made then records nothing). */
  static current(): CdkRecorder | null {
    return CdkRecorder.active;
  }

  /** Makes this recorder the active one while `run` runs (the stacks' `main(app)`). */
  async during<T>(run: () => Promise<T>): Promise<T> {
    const previous = CdkRecorder.active;
    CdkRecorder.active = this;
    try {
      return await run();
    } finally {
      CdkRecorder.active = previous;
    }
  }

  /**
   * Records `new target(...args)` or `target(...args)` in the active recording, with where the app wrote it, and
   * returns the expression its result is known by; undefined when nothing records (no synth running, or a
   * target the recording cannot name).
   */
  static step(op: "new" | "call", target: CdkValue | undefined, args: unknown[]): CdkValue | undefined {
    const recorder = CdkRecorder.active;
    if (target === undefined || recorder === null) return undefined;
    const ref = recorder.nextRef++;
    recorder.ops.push({ op, ref, target, args: args.map((arg) => recorder.describe(arg)), location: recorder.location() });
    return { ref };
  }

  tag(scope: unknown, key: string, value: string, location: string | null): void {
    this.ops.push({ op: "tag", scope: this.describe(scope), key, value, location });
  }

  /**
   * Names what a token path stands for. Paths are unique: a second call of the same method on the same
   * value (`pool.addClient(…)` twice) gets `#2`, so each token still finds its own value.
   */
  name(path: string, expression: CdkValue): string {
    let unique = path;
    for (let n = 2; unique in this.values && JSON.stringify(this.values[unique]) !== JSON.stringify(expression); n++) unique = `${path}#${n}`;
    this.values[unique] = expression;
    return unique;
  }

  code(): CdkCode {
    return { ops: structuredClone(this.ops), values: structuredClone(this.values) };
  }

  /** A value the stacks passed, as data. */
  describe(value: unknown, depth = 0): CdkValue {
    if (depth > 50) return { unsupported: "a value nested more than 50 levels deep" };
    if (value === undefined) return { undef: true };
    if (value === null || typeof value === "boolean" || typeof value === "string") return value;
    if (typeof value === "number") return Number.isFinite(value) ? value : { unsupported: String(value) };
    const expression = expressionOf(value);
    if (expression !== undefined) return expression;
    if (typeof value === "function") return { unsupported: `a function (${value.name || "anonymous"})` };
    if (typeof value !== "object") return { unsupported: typeof value };
    if (Array.isArray(value)) return value.map((item) => this.describe(item, depth + 1));
    if (value instanceof Duration) return { duration: value.toSeconds() };
    if (value instanceof Runtime) return { lambdaRuntime: value.name };
    if (value instanceof PolicyStatement) return { statement: { effect: value.effect, actions: [...value.actions], resources: [...value.resources] } };
    const branded = value as { [STACK_BRAND]?: true; id?: string; [CDK_REFERENCE]?: () => CdkValue; recordUnemulated?: unknown };
    if (branded[STACK_BRAND] === true && typeof branded.id === "string") return { stack: branded.id };
    if (typeof branded.recordUnemulated === "function") return { app: true };
    if (typeof branded[CDK_REFERENCE] === "function") return branded[CDK_REFERENCE]();
    const prototype = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) {
      const obj: Record<string, CdkValue> = {};
      for (const [key, item] of Object.entries(value)) obj[key] = this.describe(item, depth + 1);
      return { obj };
    }
    return { unsupported: `an object of class ${prototype?.constructor?.name ?? "unknown"}` };
  }
}
