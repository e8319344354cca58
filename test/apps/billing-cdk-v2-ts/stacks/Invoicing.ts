import { Construct } from "constructs";
import { aws_events as events, aws_events_targets as targets, Duration, Stack } from "aws-cdk-lib";
import * as sst from "@serverless-stack/resources";

export interface InvoicingProps {
  currency: string;
}

/** Our own construct: the invoicing function and the rule that runs it monthly. */
export class Invoicing extends Construct {
  public readonly fn: sst.Function;

  constructor(scope: Construct, id: string, props: InvoicingProps) {
    super(scope, id);

    this.fn = new sst.Function(this, "InvoiceFn", {
      handler: "invoices.run",
      timeout: Duration.minutes(1),
      environment: { CURRENCY: props.currency, REGION: Stack.of(this).region },
    });

    const rule = new events.Rule(this, "Monthly", {
      schedule: events.Schedule.cron({ day: "1", hour: "3", minute: "0" }),
    });
    rule.addTarget(new targets.LambdaFunction(this.fn));
  }
}
