import { GatehouseError } from "../../errors.js";
import type { PermissionManifest } from "../../manifest/manifest.js";
import { PolicyStatement } from "./policy-statement.js";

/**
 * SST's permission grammar turned into manifest data (docs/aws-target.md): `"*"`, service and action
 * strings, ARNs and policy statements. Anything else (a construct, `[construct, "grantMethod"]`) has no form
 * in the manifest yet: it is kept as `{ unsupported }` so dev still runs and the AWS target refuses it by
 * name instead of deploying a function without the grant.
 */
export function toPermissions(value: unknown, where: string): PermissionManifest[] {
  if (value === "*") return ["*"];
  if (!Array.isArray(value)) {
    throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: permissions must be "*" or a list (e.g. ["s3", "sqs:SendMessage"]).`);
  }
  return value.map(toPermission);
}

function toPermission(item: unknown): PermissionManifest {
  if (typeof item === "string" && item !== "") return item;
  if (item instanceof PolicyStatement || isStatementShape(item)) {
    const statement = item as PolicyStatement;
    return { effect: statement.effect === "Deny" ? "Deny" : "Allow", actions: [...statement.actions], resources: [...statement.resources] };
  }
  const granted = resourceStatement(item) ?? tableGrantStatement(item);
  if (granted) return granted;
  return { unsupported: describe(item) };
}

const TABLE_READ = ["dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:ConditionCheckItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator"];
const TABLE_WRITE = ["dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"];
/** The actions CDK's Table grant methods give (docs/aws-target.md, "Permissions"). */
const TABLE_GRANTS: Record<string, string[]> = {
  grantReadData: [...TABLE_READ, "dynamodb:DescribeTable"],
  grantWriteData: [...TABLE_WRITE, "dynamodb:DescribeTable"],
  grantReadWriteData: [...TABLE_READ, ...TABLE_WRITE, "dynamodb:DescribeTable"],
  grantFullAccess: ["dynamodb:*"],
};

/** `[table, "grantReadData"]` (SST calls the grant method): those actions on the table and its indexes. */
function tableGrantStatement(item: unknown): PermissionManifest | null {
  if (!Array.isArray(item) || item.length !== 2 || typeof item[1] !== "string" || !Object.hasOwn(TABLE_GRANTS, item[1])) return null;
  const arn = (item[0] as { tableArn?: unknown } | null)?.tableArn;
  if (typeof arn !== "string") return null;
  return { effect: "Allow", actions: [...TABLE_GRANTS[item[1]]], resources: [arn, `${arn}/index/*`] };
}

/**
 * A construct given as a permission (`[table]`, `[topic]`): every action of its service on it, as SST grants
 * (docs/sst-apps.md, "Function props"). Its ARN may be a token a backend resolves.
 */
function resourceStatement(item: unknown): PermissionManifest | null {
  const resource = item as Record<string, unknown> | null;
  if (!resource || (typeof resource !== "object" && typeof resource !== "function")) return null;
  const arn = (key: string): string | null => (typeof resource[key] === "string" ? (resource[key] as string) : null);
  const grants: Array<[string, string, boolean]> = [
    ["tableArn", "dynamodb:*", true],
    ["topicArn", "sns:*", false],
    ["queueArn", "sqs:*", false],
    ["bucketArn", "s3:*", true],
    ["functionArn", "lambda:*", false],
  ];
  for (const [key, action, withChildren] of grants) {
    const value = arn(key);
    if (value) return { effect: "Allow", actions: [action], resources: withChildren ? [value, `${value}/*`] : [value] };
  }
  return null;
}

function isStatementShape(item: unknown): boolean {
  const candidate = item as { actions?: unknown; resources?: unknown } | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    Array.isArray(candidate.actions) &&
    candidate.actions.length > 0 &&
    Array.isArray(candidate.resources) &&
    candidate.resources.length > 0
  );
}

function describe(item: unknown): string {
  if (Array.isArray(item)) return `[${item.map(describe).join(", ")}]`;
  if (typeof item === "object" && item !== null) {
    const name = (item as { constructor?: { name?: string } }).constructor?.name;
    const id = (item as { id?: unknown }).id;
    if (name && name !== "Object") return `${name}${typeof id === "string" ? ` "${id}"` : ""}`;
    return `{ ${Object.keys(item).join(", ")} }`;
  }
  return JSON.stringify(item) ?? String(item);
}

/** Permissions of several levels combined as SST does: concatenated, and `"*"` anywhere makes `"*"`. */
export function combinePermissions(...lists: PermissionManifest[][]): PermissionManifest[] {
  const all = lists.flat();
  return all.includes("*") ? ["*"] : all;
}
