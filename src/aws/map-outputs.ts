import type { SynthContext } from "./synth-context.js";

/**
 * The stacks' outputs as CloudFormation outputs, in the order the stacks declared them (`ApiEndpoint`
 * first in the templates). The logical id is the key without non-alphanumerics, as CDK makes it.
 */
export function mapOutputs(ctx: SynthContext): void {
  const { core } = ctx.cdk;
  for (const stack of ctx.manifest.stacks) {
    const cdkStack = ctx.stack(stack.id);
    for (const [key, value] of Object.entries(stack.outputs)) {
      const output = new core.CfnOutput(cdkStack, key, { value: ctx.resolve(value, `${stack.location ?? stack.id}: output ${key}`) });
      output.overrideLogicalId(key.replace(/[^A-Za-z0-9]/g, ""));
    }
  }
}
