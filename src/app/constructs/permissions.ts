import { GatehouseError } from "../../errors.js";
import type { PermissionManifest } from "../../manifest/manifest.js";

/**
 * SST's permission grammar (docs/sst-apps.md, "Function props"), reduced to IAM statements a cloud target can
 * apply. Nothing is enforced locally. `where` names the construct for errors.
 */
export function describePermissions(value: unknown, where: string): PermissionManifest[] {
  if (value === "*") return [{ effect: "Allow", actions: ["*"], resources: ["*"] }];
  if (!Array.isArray(value)) {
    throw new GatehouseError(
      "GH_ERR_CONSTRUCT_INVALID",
      `${where}: permissions must be "*" or a list (e.g. ["s3", table, [bucket, "grantRead"]]), not ${JSON.stringify(value)}.`,
    );
  }
  return value.flatMap((element) => describeOne(element));
}

function describeOne(element: unknown): PermissionManifest[] {
  const allow = (actions: string[], resources: string[]): PermissionManifest[] => [{ effect: "Allow", actions, resources }];
  if (typeof element === "string") return allow([element.includes(":") ? element : `${element}:*`], ["*"]);
  if (Array.isArray(element) && element.length === 2 && typeof element[1] === "string") {
    // [construct, "grantReadData"]: the grant method's own policy, named for a cloud target.
    return allow([`grant:${element[1]}`], [arnOf(element[0]) ?? "*"]);
  }
  const statement = element as { toPermission?: () => PermissionManifest } | null;
  if (statement && typeof statement.toPermission === "function") return [statement.toPermission()];
  const resource = element as Record<string, unknown> | null;
  if (resource && typeof resource === "object") {
    const arn = (key: string): string => String(resource[key]);
    if ("tableArn" in resource) return allow(["dynamodb:*"], [arn("tableArn"), `${arn("tableArn")}/*`]);
    if ("topicArn" in resource) return allow(["sns:*"], [arn("topicArn")]);
    if ("queueArn" in resource) return allow(["sqs:*"], [arn("queueArn")]);
    if ("bucketArn" in resource) return allow(["s3:*"], [arn("bucketArn"), `${arn("bucketArn")}/*`]);
    if ("functionArn" in resource) return allow(["lambda:*"], [arn("functionArn")]);
    if ("httpApiArn" in resource || "url" in resource) return allow(["execute-api:Invoke"], ["*"]);
  }
  return allow(["*"], [arnOf(element) ?? "*"]);
}

function arnOf(construct: unknown): string | null {
  const value = construct as Record<string, unknown> | null;
  if (!value || (typeof value !== "object" && typeof value !== "function")) return null;
  for (const key of ["tableArn", "topicArn", "queueArn", "bucketArn", "functionArn"]) {
    if (typeof value[key] === "string") return value[key] as string;
  }
  return null;
}
