import type { PermissionManifest } from "../../manifest/manifest.js";

/** CDK's `iam.Effect`. */
export const Effect = { ALLOW: "Allow", DENY: "Deny" } as const;

interface PolicyStatementProps {
  effect?: "Allow" | "Deny";
  actions?: string[];
  resources?: string[];
  sid?: string;
  [other: string]: unknown;
}

/**
 * CDK's `iam.PolicyStatement`: kept as data so `attachPermissions([statement])` hands it to a cloud target; IAM is
 * not enforced locally (docs/sst-apps.md).
 */
export class PolicyStatement {
  effect: "Allow" | "Deny";
  readonly actions: string[];
  readonly resources: string[];
  sid: string | undefined;

  constructor(props: PolicyStatementProps = {}) {
    this.effect = props.effect ?? "Allow";
    this.actions = [...(props.actions ?? [])].map(String);
    this.resources = [...(props.resources ?? [])].map(String);
    this.sid = props.sid;
  }

  addActions(...actions: string[]): void {
    this.actions.push(...actions.map(String));
  }

  addResources(...resources: string[]): void {
    this.resources.push(...resources.map(String));
  }

  addAllResources(): void {
    this.resources.push("*");
  }

  addPrincipals(): void {}
  addCondition(): void {}
  addConditions(): void {}

  toPermission(): PermissionManifest {
    return { effect: this.effect, actions: [...this.actions], resources: this.resources.length > 0 ? [...this.resources] : ["*"] };
  }

  toJSON(): unknown {
    return { Effect: this.effect, Action: this.actions, Resource: this.resources };
  }
}
