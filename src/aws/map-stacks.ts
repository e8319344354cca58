import type { App } from "aws-cdk-lib";
import type { SynthContext } from "./synth-context.js";

/**
 * One CloudFormation stack per SST stack, named as SST names it (`<stage>-<app>-<stack>`), in the app's
 * region and tagged `sst:app`/`sst:stage` as SST tags them, which is how `list` finds deployed stages.
 */
export function mapStacks(ctx: SynthContext, app: App): void {
  const { core } = ctx.cdk;
  const { app: info } = ctx.manifest;
  for (const stack of ctx.manifest.stacks) {
    const cdkStack = new core.Stack(app, stack.name, {
      stackName: stack.name,
      env: { region: info.region },
      tags: { "sst:app": info.name, "sst:stage": info.stage },
      description: `${info.name} stage ${info.stage}, stack ${stack.id} (deployed by Gatehouse)`,
    });
    ctx.stacks.set(stack.id, cdkStack);
  }
}
