import type { SynthContext } from "./synth-context.js";

/**
 * The CDK code the stacks ran beside the SST constructs (user pools, roles, tags…), run again with aws-cdk-lib
 * in the real stacks: whatever of it an earlier mapper has not already needed (docs/aws-target.md, "CDK code
 * in stacks").
 */
export function mapCdkCode(ctx: SynthContext): void {
  ctx.cdkCode.runAll();
}
