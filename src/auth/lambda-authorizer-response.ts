import type { LambdaAuthorizerManifest } from "../manifest/manifest.js";
import { policyProblem } from "./iam-policy.js";

/** A well-formed answer from an authorizer function. */
export type AuthorizerAnswer =
  | { kind: "simple"; isAuthorized: boolean; context: Record<string, unknown> | null }
  | { kind: "policy"; policyDocument: unknown; principalId: string | null; context: Record<string, unknown> | null };

/**
 * Reads an authorizer function's JSON answer (docs/authorizers.md). Simple `{isAuthorized, context}` answers
 * count only for payload 2.0 with simple responses on; everything else must be an IAM policy answer. Any
 * other shape is malformed, which the client sees as 500.
 */
export function readAuthorizerAnswer(payload: string, authorizer: LambdaAuthorizerManifest): { ok: true; answer: AuthorizerAnswer } | { ok: false; problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { ok: false, problem: "the answer is not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, problem: "the answer is not an object" };
  const answer = value as Record<string, unknown>;
  const context = answer.context;
  if (context !== undefined && context !== null && (typeof context !== "object" || Array.isArray(context))) {
    return { ok: false, problem: "context is not an object" };
  }
  const ownContext = (context ?? null) as Record<string, unknown> | null;
  const simpleAllowed = authorizer.payloadFormatVersion === "2.0" && authorizer.enableSimpleResponses;
  if (simpleAllowed && (Object.hasOwn(answer, "isAuthorized") || !Object.hasOwn(answer, "policyDocument"))) {
    if (typeof answer.isAuthorized !== "boolean") return { ok: false, problem: `isAuthorized is ${JSON.stringify(answer.isAuthorized)}, not a boolean` };
    return { ok: true, answer: { kind: "simple", isAuthorized: answer.isAuthorized, context: ownContext } };
  }
  const problem = policyProblem(answer.policyDocument);
  if (problem) return { ok: false, problem };
  const principalId = typeof answer.principalId === "string" ? answer.principalId : null;
  return { ok: true, answer: { kind: "policy", policyDocument: answer.policyDocument, principalId, context: ownContext } };
}
