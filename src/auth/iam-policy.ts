/**
 * Evaluates an IAM policy document from a Lambda authorizer against one request's route ARN, as IAM does
 * for `execute-api:Invoke` (docs/authorizers.md): an explicit Deny wins, else a matching Allow allows, else
 * the request is denied.
 */

export type PolicyVerdict = { ok: true; allow: boolean } | { ok: false; problem: string };

const ACTION = "execute-api:Invoke";

/** Checks the document's shape; null when it can be evaluated. */
export function policyProblem(document: unknown): string | null {
  if (typeof document !== "object" || document === null || Array.isArray(document)) return "policyDocument is not an object";
  const statements = (document as { Statement?: unknown }).Statement;
  if (statements === undefined || statements === null) return "policyDocument has no Statement";
  for (const statement of [statements].flat()) {
    if (typeof statement !== "object" || statement === null) return "a Statement is not an object";
    const { Effect } = statement as { Effect?: unknown };
    if (Effect !== "Allow" && Effect !== "Deny") return `a Statement has Effect ${JSON.stringify(Effect)}`;
  }
  return null;
}

/** The verdict of `document` for `routeArn`; a condition makes an Allow not match and a Deny match (fail closed). */
export function evaluatePolicy(document: unknown, routeArn: string, warn: (text: string) => void = () => {}): PolicyVerdict {
  const problem = policyProblem(document);
  if (problem) return { ok: false, problem };
  let allowed = false;
  for (const statement of [(document as { Statement: unknown }).Statement].flat() as Array<Record<string, unknown>>) {
    const deny = statement.Effect === "Deny";
    if (!matchesAction(statement) || !matchesResource(statement, routeArn)) continue;
    if (statement.Condition !== undefined) {
      warn(`an ${statement.Effect} statement carries a Condition, which is not evaluated locally; it is taken as ${deny ? "matching" : "not matching"}`);
      if (!deny) continue;
    }
    if (deny) return { ok: true, allow: false };
    allowed = true;
  }
  return { ok: true, allow: allowed };
}

function matchesAction(statement: Record<string, unknown>): boolean {
  if (statement.Action !== undefined) return list(statement.Action).some((pattern) => glob(pattern, ACTION, true));
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((pattern) => glob(pattern, ACTION, true));
  return false;
}

function matchesResource(statement: Record<string, unknown>, arn: string): boolean {
  if (statement.Resource !== undefined) return list(statement.Resource).some((pattern) => glob(pattern, arn, false));
  if (statement.NotResource !== undefined) return !list(statement.NotResource).some((pattern) => glob(pattern, arn, false));
  return false;
}

function list(value: unknown): string[] {
  return [value].flat().filter((item): item is string => typeof item === "string");
}

/** IAM wildcards: `*` any run of characters (slashes included), `?` exactly one. */
export function glob(pattern: string, text: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(text);
}
