import { createRequire } from "node:module";
import { GatehouseError } from "../errors.js";
import type { CdkOp, CdkValue } from "../manifest/cdk-code.js";
import type { SynthContext } from "./synth-context.js";

type RefOp = Extract<CdkOp, { ref: number }>;

/**
 * Runs the CDK code the stacks ran beside the SST constructs (recorded as data while they ran, see
 * manifest/cdk-code.ts) again, with the real aws-cdk-lib and in the real stacks, so the AWS stack is the whole
 * app (docs/aws-target.md, "CDK code in stacks"). An op runs once: when a value it makes is first needed (an
 * environment variable naming `pool.userPoolId`), else in order at the end (`runAll`).
 */
export class CdkCodeReplay {
  private readonly results = new Map<number, unknown>();
  private readonly ops = new Map<number, RefOp>();
  private readonly running = new Set<number>();
  private readonly load = createRequire(import.meta.url);

  constructor(private readonly ctx: SynthContext) {
    for (const op of ctx.manifest.cdkCode.ops) if (op.op !== "tag") this.ops.set(op.ref, op);
  }

  /** True when the stacks' recording says what this token path stands for. */
  knows(path: string): boolean {
    return Object.hasOwn(this.ctx.manifest.cdkCode.values, path);
  }

  /** The real value behind a token path (`api/Pool.userPoolId`): a string or number, often a CDK token. */
  valueOf(path: string, where: string): string {
    const value = this.evaluate(this.ctx.manifest.cdkCode.values[path], where);
    if (typeof value === "string" || typeof value === "number") return String(value);
    throw new GatehouseError(
      "GH_ERR_AWS_UNSUPPORTED",
      `${where} uses ${path}, which is ${describeKind(value)}, not a text value CloudFormation can put there. Fix: use one of its attributes (an id, an ARN, a name).`,
    );
  }

  /** Runs every op not yet run, in the order the stacks ran them. */
  runAll(): void {
    for (const op of this.ctx.manifest.cdkCode.ops) {
      if (op.op === "tag") this.tag(op);
      else this.result(op.ref);
    }
  }

  private tag(op: Extract<CdkOp, { op: "tag" }>): void {
    const where = op.location ?? "stacks";
    if (typeof op.scope === "object" && op.scope !== null && "unsupported" in op.scope) {
      // Tags change no behaviour: one on a construct this target does not make (a Cron, a site) is said and left out.
      this.ctx.notice(`${where}: the tag ${op.key}=${op.value} is on ${op.scope.unsupported}, which this target does not tag on AWS; it is left out.`);
      return;
    }
    const scope = this.evaluate(op.scope, where);
    this.ctx.cdk.core.Tags.of(scope as import("constructs").IConstruct).add(op.key, op.value);
  }

  private result(ref: number): unknown {
    if (this.results.has(ref)) return this.results.get(ref);
    const op = this.ops.get(ref);
    if (!op) throw new Error(`internal: recorded CDK code has no op ${ref}`);
    if (this.running.has(ref)) throw new Error(`internal: recorded CDK op ${ref} depends on itself`);
    this.running.add(ref);
    const where = op.location ?? "stacks";
    const args = op.args.map((arg) => this.evaluate(arg, where));
    let value: unknown;
    try {
      if (op.op === "new") {
        const target = this.evaluate(op.target, where) as new (...args: unknown[]) => unknown;
        value = new target(...args);
      } else if (typeof op.target === "object" && op.target !== null && "get" in op.target) {
        // A method: called on the value it was read off, as the stacks called it.
        const owner = this.evaluate(op.target.get[0], where) as Record<string, (...args: unknown[]) => unknown>;
        value = owner[op.target.get[1]](...args);
      } else {
        value = (this.evaluate(op.target, where) as (...args: unknown[]) => unknown)(...args);
      }
    } catch (err) {
      if (err instanceof GatehouseError) throw err;
      throw new GatehouseError(
        "GH_ERR_AWS_UNSUPPORTED",
        `${where}: the CDK code here failed when run with aws-cdk-lib for AWS: ${oneLine((err as Error).message)}. Fix: make it valid for aws-cdk-lib v2 (the props it takes may differ from CDK v1's).`,
      );
    } finally {
      this.running.delete(ref);
    }
    this.results.set(ref, value);
    return value;
  }

  private evaluate(value: CdkValue, where: string): unknown {
    if (value === null || typeof value === "boolean" || typeof value === "number") return value;
    if (typeof value === "string") return this.ctx.resolve(value, `${where}: a value passed to CDK code`);
    if (Array.isArray(value)) return value.map((item) => this.evaluate(item, where));
    if ("obj" in value) {
      const object: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value.obj)) {
        const evaluated = this.evaluate(item, where);
        if (evaluated !== undefined) object[key] = evaluated;
      }
      return object;
    }
    if ("undef" in value) return undefined;
    if ("ref" in value) return this.result(value.ref);
    if ("get" in value) {
      const owner = this.evaluate(value.get[0], where) as Record<string, unknown> | null;
      return owner?.[value.get[1]];
    }
    if ("class" in value) return this.exported(value.class.module, value.class.name, where);
    if ("stack" in value) return this.ctx.stack(value.stack);
    if ("app" in value) return this.ctx.stacks.values().next().value?.node.root;
    if ("sst" in value) return this.sstConstruct(value.sst.kind, value.sst.id, where);
    if ("duration" in value) return this.ctx.cdk.core.Duration.seconds(value.duration);
    if ("lambdaRuntime" in value) {
      const { Runtime } = this.ctx.cdk.lambda;
      return Runtime.ALL.find((runtime) => runtime.name === value.lambdaRuntime) ?? new Runtime(value.lambdaRuntime);
    }
    if ("statement" in value) {
      const { iam } = this.ctx.cdk;
      return new iam.PolicyStatement({
        effect: value.statement.effect === "Deny" ? iam.Effect.DENY : iam.Effect.ALLOW,
        actions: value.statement.actions,
        resources: value.statement.resources.map((resource) => this.ctx.resolve(resource, `${where}: a policy statement's resource`)),
      });
    }
    throw new GatehouseError(
      "GH_ERR_AWS_UNSUPPORTED",
      `${where}: ${value.unsupported} was passed to CDK code; it cannot be carried over to AWS. Fix: pass plain values, constructs or CDK helpers instead.`,
    );
  }

  private exported(module: string, name: string, where: string): unknown {
    let loaded: Record<string, unknown>;
    try {
      loaded = this.load(module) as Record<string, unknown>;
    } catch {
      throw new GatehouseError(
        "GH_ERR_AWS_UNSUPPORTED",
        `${where}: ${module} is not part of aws-cdk-lib v2, which this target synthesizes with. Fix: use its aws-cdk-lib form (CDK v2), or create the resource outside the app.`,
      );
    }
    if (!(name in loaded)) {
      throw new GatehouseError(
        "GH_ERR_AWS_UNSUPPORTED",
        `${where}: ${module} has no "${name}" in aws-cdk-lib v2. Fix: use what aws-cdk-lib v2 calls it.`,
      );
    }
    return loaded[name];
  }

  private sstConstruct(kind: "function" | "table" | "queue" | "topic" | "api", id: string, where: string): unknown {
    const made = { function: this.ctx.functions, table: this.ctx.tables, queue: this.ctx.queues, topic: this.ctx.topics, api: this.ctx.apis }[kind].get(id);
    if (made === undefined) {
      throw new GatehouseError(
        "GH_ERR_AWS_UNSUPPORTED",
        `${where}: CDK code uses the ${kind} "${id}" before this target has made it (its own settings need a value of that CDK code). Fix: read the value in the handler at run time instead of passing it in the ${kind}'s settings.`,
      );
    }
    return made;
  }
}

/** CDK's validation messages span lines (a header, then one line per problem): said as one. */
function oneLine(message: string): string {
  const text = message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ")
    .replace(/:\s*\./g, ":");
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

function describeKind(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (typeof value === "object") return `an object (${(value as object).constructor?.name ?? "unknown"})`;
  return `a ${typeof value}`;
}
