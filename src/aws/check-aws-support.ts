import { GatehouseError } from "../errors.js";
import type { Manifest } from "../manifest/manifest.js";
import { hasTokens, tokensBesides } from "../manifest/tokens.js";

/** Days CloudWatch Logs accepts as a retention (9999 stands for "never expire", as CDK's RetentionDays.INFINITE). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 9999];

/**
 * Everything in the manifest that has no form on AWS in this target, found before anything is bundled or
 * synthesized, so nothing half-made is left behind (docs/aws-target.md, "What is not supported"). Throws
 * GH_ERR_AWS_UNSUPPORTED for the first problem, naming the construct, where it was declared and what to
 * use instead.
 */
export function checkAwsSupport(manifest: Manifest): void {
  const recorded = (kind: string, path: string) => kind === "Unemulated" && Object.hasOwn(manifest.cdkCode.values, path);
  for (const stack of manifest.stacks) {
    // CloudFormation's stack-name rule, which SST's `<stage>-<app>-<id>` names must meet (an `_` or `.` in the
    // stage breaks them; docs/aws-target.md).
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(stack.name) || stack.name.length > 128) {
      throw new GatehouseError(
        "GH_ERR_AWS_UNSUPPORTED",
        `${stack.location ?? "stacks"}: the stack name "${stack.name}" (<stage>-<app>-<stack id>) is not one CloudFormation accepts: letters, digits and -, starting with a letter, at most 128. Fix: use a stage name and stack id of letters, digits and - only.`,
      );
    }
  }
  for (const auth of manifest.auths) {
    throw new GatehouseError(
      "GH_ERR_AWS_UNSUPPORTED",
      `${auth.location ?? `stack "${auth.stackId}"`}: Auth "${auth.constructId}" is Gatehouse's self-hosted identity tenant, which has no AWS form. Fix: for AWS, use Amazon Cognito (a user pool, with an HttpJwtAuthorizer whose issuer is https://cognito-idp.<region>.amazonaws.com/<poolId>) or a real Auth0 tenant (issuer https://<tenant>.auth0.com/), and keep Auth for the host target.`,
    );
  }
  // SST constructs this target does not make yet: refused rather than deployed as a stage missing them.
  for (const site of manifest.staticSites) {
    throw new GatehouseError(
      "GH_ERR_AWS_UNSUPPORTED",
      `stack "${site.stackId}": ${site.kind} "${site.constructId}" is not synthesized for AWS by this target yet. Fix: deploy the site with SST or the AWS CDK (S3 + CloudFront), and keep it in the host target.`,
    );
  }
  for (const construct of manifest.unemulated) {
    if (!construct.kind.startsWith("sst.")) continue;
    throw new GatehouseError(
      "GH_ERR_AWS_UNSUPPORTED",
      `${construct.location ?? `stack "${construct.stackId}"`}: ${construct.kind} "${construct.id}" is not synthesized for AWS by this target yet. Fix: create it with SST or the AWS CDK for now.`,
    );
  }
  for (const fn of Object.values(manifest.functions)) {
    const where = `${fn.location ?? `stack "${fn.stackId}"`}: function "${fn.constructId}" (handler "${fn.handler}")`;
    for (const permission of fn.permissions) {
      if (typeof permission === "object" && "unsupported" in permission) {
        throw new GatehouseError(
          "GH_ERR_AWS_UNSUPPORTED",
          `${where}: the permission ${permission.unsupported} has no AWS form in this target yet. Fix: grant it as a string ("dynamodb", "sqs:SendMessage", an ARN) or an iam.PolicyStatement with actions and resources.`,
        );
      }
    }
    if (!/^nodejs\d+\.x$/.test(fn.runtime)) {
      throw new GatehouseError(
        "GH_ERR_AWS_UNSUPPORTED",
        `${where}: runtime ${fn.runtime} is not built by this target, which deploys Node.js handlers only. Fix: deploy this function with SST or the AWS CDK, or port it to Node.js.`,
      );
    }
    for (const permission of fn.permissions) {
      // Values read off the stacks' own CDK constructs (`pool.userPoolArn`) are resolved when that code runs again.
      const unresolvable = typeof permission === "object" && "resources" in permission ? permission.resources.flatMap((resource) => tokensBesides(resource, recorded)) : [];
      if (unresolvable.length > 0) {
        throw new GatehouseError(
          "GH_ERR_AWS_UNSUPPORTED",
          `${where}: a permission names a resource of this app (${unresolvable[0]}) that this target cannot resolve yet (tables, topics, queues, crons and the stacks' own CDK constructs it can). Fix: grant it by ARN or as a service string ("s3").`,
        );
      }
    }
    if (fn.logRetentionDays !== null && !LOG_RETENTION_DAYS.includes(fn.logRetentionDays)) {
      throw new GatehouseError(
        "GH_ERR_AWS_UNSUPPORTED",
        `${where}: logRetention ${fn.logRetentionDays} is not a retention CloudWatch Logs accepts. Fix: use one of ${LOG_RETENTION_DAYS.join(", ")} days.`,
      );
    }
  }
  for (const api of manifest.apis) {
    for (const authorizer of Object.values(api.authorizers)) {
      // Lambda authorizers are functions of the app, synthesized like any other.
      if (authorizer.type !== "JWT") continue;
      const where = `stack "${api.stackId}": Api "${api.constructId}" authorizer "${authorizer.id}"`;
      if (hasTokens(authorizer.issuer)) {
        throw new GatehouseError(
          "GH_ERR_AWS_UNSUPPORTED",
          `${where}: its issuer is a self-hosted Auth tenant, which has no AWS form. Fix: point the authorizer at Cognito or a real Auth0 tenant for AWS.`,
        );
      }
      if (!authorizer.issuer.startsWith("https://")) {
        throw new GatehouseError(
          "GH_ERR_AWS_UNSUPPORTED",
          `${where}: issuer "${authorizer.issuer}" is not https; API Gateway accepts only https issuers. Fix: use your identity provider's https issuer URL for this stage.`,
        );
      }
    }
  }
}
