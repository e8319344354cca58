import type { SynthContext } from "./synth-context.js";

/**
 * One EventBridge rule per manifest cron, its schedule verbatim (`rate(...)`/`cron(...)`, as SST passes such
 * strings), named by CloudFormation as SST leaves it (docs/aws-target.md, "Crons"). Its local ARN now names the
 * real rule.
 */
export function mapCrons(ctx: SynthContext): void {
  const { events } = ctx.cdk;
  for (const cron of ctx.manifest.crons) {
    const rule = new events.Rule(ctx.stack(cron.stackId), cron.constructId, { schedule: events.Schedule.expression(cron.schedule) });
    ctx.rules.set(cron.id, rule);
    ctx.addLocalName(cron.ruleArn, rule.ruleArn);
  }
}

/** Each rule invokes its job function (which needs the functions made). */
export function mapCronJobs(ctx: SynthContext): void {
  const { eventsTargets } = ctx.cdk;
  for (const cron of ctx.manifest.crons) {
    const rule = ctx.rules.get(cron.id);
    if (!rule) throw new Error(`internal: no rule for cron "${cron.id}"`);
    rule.addTarget(new eventsTargets.LambdaFunction(ctx.function(cron.jobFunctionId)));
  }
}
