import { GatehouseError } from "../../errors.js";
import type { Manifest } from "../../manifest/manifest.js";
import { parseSchedule } from "../../manifest/schedule-expression.js";
import type { Synthesizable } from "./app.js";
import { stackOf } from "./construct-node.js";
import { Duration } from "./duration.js";
import { type FunctionDefinition, functionFromDefinition, unwrapFunction } from "./function-definition.js";
import type { SstFunction } from "./function.js";
import { registerConstructKind } from "./registry.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

export interface CronOptions {
  minute?: string;
  hour?: string;
  day?: string;
  month?: string;
  weekDay?: string;
  year?: string;
}

export interface CronProps {
  job: FunctionDefinition | { function: FunctionDefinition; jobProps?: unknown };
  schedule?: string | Duration | CronOptions;
  eventsRule?: { schedule?: unknown; [other: string]: unknown };
}

/** SST's Cron: an EventBridge rule that runs its job on a schedule; locally the stage runs it (docs/sst-apps.md). */
export class Cron implements Synthesizable {
  readonly stack: Stack;
  readonly id: string;
  readonly manifestId: string;
  readonly schedule: string;
  readonly jobFunction: SstFunction;
  readonly ruleArn: string;

  constructor(scope: Stack, id: string, props: CronProps) {
    scope = stackOf<Stack>(scope) ?? scope;
    this.stack = scope;
    this.id = id;
    this.manifestId = `${scope.id}/${id}`;
    const location = callerLocation(scope.app.root);
    const where = `${location ?? scope.id}: Cron "${id}"`;
    if (props?.eventsRule?.schedule !== undefined) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: set the schedule in "schedule", not in eventsRule (SST refuses both).`);
    }
    if (props?.schedule === undefined) throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: no schedule. Fix: schedule: "rate(1 minute)".`);
    this.schedule = scheduleExpression(props.schedule);
    const parsed = parseSchedule(this.schedule);
    if (!parsed.ok) throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: schedule ${parsed.error}.`);
    this.ruleArn = `arn:aws:events:${scope.region}:${scope.account}:rule/${scope.app.logicalPrefixedName(id)}`;
    if (props.job === undefined) throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: no job. Fix: job: "src/job.main".`);
    this.jobFunction = functionFromDefinition(scope, `${id}_Job`, unwrapFunction(props.job) as FunctionDefinition, {
      owner: { kind: "sst.Cron", id: this.manifestId, stackId: scope.id },
      context: `Cron "${id}" job`,
      location,
    });
    scope.app.members.push(this);
  }

  attachPermissions(permissions: unknown): void {
    this.jobFunction.attachPermissions(permissions);
  }

  contribute(manifest: Manifest): void {
    manifest.crons.push({ id: this.manifestId, constructId: this.id, stackId: this.stack.id, schedule: this.schedule, ruleArn: this.ruleArn, jobFunctionId: this.jobFunction.manifestId });
  }
}

/**
 * SST's rule: a string starting `rate(` or `cron(` is used as it is; a Duration becomes a rate; anything else is
 * CDK CronOptions, whose missing fields default to every minute (so a stray "5 minutes" runs every minute).
 */
export function scheduleExpression(schedule: string | Duration | CronOptions): string {
  if (typeof schedule === "string" && (schedule.startsWith("rate(") || schedule.startsWith("cron("))) return schedule;
  if (schedule instanceof Duration || typeof (schedule as Duration)?.toSeconds === "function") return rateOf((schedule as Duration).toSeconds());
  const options = (typeof schedule === "object" && schedule !== null ? schedule : {}) as CronOptions;
  const day = options.day ?? (options.weekDay !== undefined ? "?" : "*");
  return `cron(${options.minute ?? "*"} ${options.hour ?? "*"} ${day} ${options.month ?? "*"} ${options.weekDay ?? "?"} ${options.year ?? "*"})`;
}

function rateOf(seconds: number): string {
  const minutes = seconds / 60;
  const unit = (amount: number, name: string) => `rate(${amount} ${name}${amount === 1 ? "" : "s"})`;
  if (minutes >= 1440 && minutes % 1440 === 0) return unit(minutes / 1440, "day");
  if (minutes >= 60 && minutes % 60 === 0) return unit(minutes / 60, "hour");
  return unit(Math.max(1, Math.round(minutes)), "minute");
}

registerConstructKind({ kind: "sst.Cron", exportName: "Cron", construct: Cron });
