import type { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { PermissionManifest } from "../manifest/manifest.js";
import type { SynthContext } from "./synth-context.js";

/**
 * One attached permission as the IAM statement SST grants for it (docs/aws-target.md, "Permissions"):
 * `"*"` → every action on everything; `"s3"` → `s3:*`; `"s3:GetObject"` → that action, on every resource;
 * an ARN → every action of its service on that resource; a statement → itself. A resource of the app named by
 * its local ARN (a table given to attachPermissions) becomes the deployed resource's ARN.
 */
export function toPolicyStatement(ctx: SynthContext, permission: PermissionManifest, what: string): PolicyStatement {
  const { iam } = ctx.cdk;
  const resource = (arn: string) => ctx.resolve(arn, `${what}: a permission's resource`);
  if (typeof permission === "string") {
    if (permission === "*") return new iam.PolicyStatement({ actions: ["*"], resources: ["*"] });
    if (permission.startsWith("arn:")) {
      const service = permission.split(":")[2] || "*";
      return new iam.PolicyStatement({ actions: [`${service}:*`], resources: [resource(permission)] });
    }
    const action = permission.includes(":") ? permission : `${permission}:*`;
    return new iam.PolicyStatement({ actions: [action], resources: ["*"] });
  }
  if ("unsupported" in permission) throw new Error(`internal: unsupported permission ${permission.unsupported} reached synth`);
  return new iam.PolicyStatement({
    effect: permission.effect === "Deny" ? iam.Effect.DENY : iam.Effect.ALLOW,
    actions: permission.actions,
    resources: permission.resources.map(resource),
  });
}
