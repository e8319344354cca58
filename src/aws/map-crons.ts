import type { SynthContext } from "./synth-context.js";

/**
 * One EventBridge rule per manifest cron, its schedule verbatim (`rate(...)`/`cron(...)`, as SST passes such
 * strings), invoking the job function (docs/aws-target.md, "Crons"). Needs the functions made.
 */
export function mapCrons(ctx: SynthContext): void {
  const { events, eventsTargets } = ctx.cdk;
  for (const cron of ctx.manifest.crons) {
    new events.Rule(ctx.stack(cron.stackId), cron.constructId, {
      schedule: events.Schedule.expression(cron.schedule),
      targets: [new eventsTargets.LambdaFunction(ctx.function(cron.jobFunctionId))],
    });
  }
}
