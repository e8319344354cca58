/** CDK's iam.Effect. */
export const Effect = { ALLOW: "Allow", DENY: "Deny" } as const;

export interface PolicyStatementProps {
  effect?: string;
  actions?: string[];
  resources?: string[];
  [other: string]: unknown;
}

/**
 * CDK's iam.PolicyStatement, as much of it as stacks pass to `attachPermissions`: effect, actions and
 * resources. It is data here; the AWS target turns it into a real grant (docs/aws-target.md).
 */
export class PolicyStatement {
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];

  constructor(props: PolicyStatementProps = {}) {
    this.effect = props.effect ?? Effect.ALLOW;
    this.actions = [...(props.actions ?? [])];
    this.resources = [...(props.resources ?? [])];
  }

  addActions(...actions: string[]): void {
    this.actions.push(...actions);
  }

  addResources(...resources: string[]): void {
    this.resources.push(...resources);
  }

  addAllResources(): void {
    this.resources.push("*");
  }
}
