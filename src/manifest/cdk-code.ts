import { z } from "zod";

/**
 * The CDK code a stack ran beside the SST constructs (`new cognito.UserPool(this, "Pool", …)`,
 * `pool.addClient(…)`, `Tags.of(this).add(…)`), recorded as data while the stacks run against Gatehouse's
 * stand-ins, so a cloud target can run it again with the real aws-cdk-lib (docs/aws-target.md, "CDK code in
 * stacks"). Locally none of it runs.
 */

/**
 * A value as the stacks passed it. JSON values stand for themselves, except objects, which are wrapped in `obj`
 * so that a key of the app's never reads as one of these forms.
 */
export type CdkValue =
  | null
  | boolean
  | number
  | string
  | CdkValue[]
  | { obj: Record<string, CdkValue> }
  | { undef: true }
  /** The result of op `ref` (a construct, a method's return value). */
  | { ref: number }
  /** `value.name`. */
  | { get: [CdkValue, string] }
  /** An exported name of a CDK module: `{ module: "aws-cdk-lib/aws-cognito", name: "UserPool" }`. */
  | { class: { module: string; name: string } }
  /** An SST stack, by id; or the app itself. */
  | { stack: string }
  | { app: true }
  /** A construct of the app's SST code that a target makes itself (a function, a table…), by manifest id. */
  | { sst: { kind: "function" | "table" | "queue" | "topic" | "api"; id: string } }
  /** Gatehouse's own stand-ins for CDK helpers. */
  | { duration: number }
  | { lambdaRuntime: string }
  | { statement: { effect: string; actions: string[]; resources: string[] } }
  /** Something that cannot be carried over (a callback, an object of an unknown class): said at synth. */
  | { unsupported: string };

export const CdkValueSchema: z.ZodType<CdkValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(CdkValueSchema),
    z.object({ obj: z.record(z.string(), CdkValueSchema) }).strict(),
    z.object({ undef: z.literal(true) }).strict(),
    z.object({ ref: z.number().int().nonnegative() }).strict(),
    z.object({ get: z.tuple([CdkValueSchema, z.string()]) }).strict(),
    z.object({ class: z.object({ module: z.string().min(1), name: z.string().min(1) }) }).strict(),
    z.object({ stack: z.string().min(1) }).strict(),
    z.object({ app: z.literal(true) }).strict(),
    z.object({ sst: z.object({ kind: z.enum(["function", "table", "queue", "topic", "api"]), id: z.string().min(1) }) }).strict(),
    z.object({ duration: z.number() }).strict(),
    z.object({ lambdaRuntime: z.string() }).strict(),
    z.object({ statement: z.object({ effect: z.string(), actions: z.array(z.string()), resources: z.array(z.string()) }) }).strict(),
    z.object({ unsupported: z.string() }).strict(),
  ]),
);

/** One step of the recorded code, in the order the stacks ran it. */
export const CdkOpSchema = z.discriminatedUnion("op", [
  /** `new target(...args)`: a construct (with a scope and an id) or a value (`new iam.ServicePrincipal(…)`). */
  z.object({ op: z.literal("new"), ref: z.number().int().nonnegative(), target: CdkValueSchema, args: z.array(CdkValueSchema), location: z.string().nullable() }),
  /** `target(...args)` where target is a method read off a value (`pool.addClient`) or a static one. */
  z.object({ op: z.literal("call"), ref: z.number().int().nonnegative(), target: CdkValueSchema, args: z.array(CdkValueSchema), location: z.string().nullable() }),
  /** `Tags.of(scope).add(key, value)`. */
  z.object({ op: z.literal("tag"), scope: CdkValueSchema, key: z.string(), value: z.string(), location: z.string().nullable() }),
]);
export type CdkOp = z.infer<typeof CdkOpSchema>;

export const CdkCodeSchema = z.object({
  ops: z.array(CdkOpSchema),
  /**
   * What each token path printed by a stand-in (`${Token[Gatehouse.Unemulated.api/Pool.userPoolId]}`) stands
   * for, so a target can put the real value where the app used the token (an environment variable, a grant).
   */
  values: z.record(z.string(), CdkValueSchema),
});
export type CdkCode = z.infer<typeof CdkCodeSchema>;
