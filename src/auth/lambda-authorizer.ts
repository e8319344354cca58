import type { LambdaAuthorizerManifest } from "../manifest/manifest.js";
import type { InvokeOutcome, Invoker } from "../runtime/types.js";
import { AuthorizerResultCache } from "./authorizer-result-cache.js";
import { evaluatePolicy } from "./iam-policy.js";
import { type AuthorizerAnswer, readAuthorizerAnswer } from "./lambda-authorizer-response.js";
import { authorizerEventV1, authorizerEventV2, identityValues, type RequestView } from "./lambda-authorizer-event.js";

/** One request on a CUSTOM route. */
export interface LambdaAuthorizationRequest {
  authorizer: LambdaAuthorizerManifest;
  /** The integration event, not yet authorized; the authorizer event is made from it. */
  request: RequestView;
  /** This request's own route ARN (its method and path). */
  routeArn: string;
  /** The route's path template, for the 1.0 event's `resource`. */
  resource: string;
}

/** Allow with the value of `requestContext.authorizer.lambda`, or API Gateway's refusal. */
export type LambdaAuthorizationResult =
  | { allow: true; context: Record<string, unknown> | null; cached: boolean }
  | { allow: false; status: 401 | 403 | 500; reason: string };

export interface LambdaAuthorizerOptions {
  invoker: Invoker;
  now?: () => number;
  /** API Gateway waits 10 s for an authorizer; it cannot be raised. */
  timeoutMs?: number;
  /** For policy statements the emulator cannot evaluate fully. */
  warn?: (text: string) => void;
}

const TIMED_OUT = Symbol("timed out");

/**
 * API Gateway's Lambda (REQUEST) authorizer (docs/authorizers.md): checks the identity sources, looks the
 * values up in the result cache, else invokes the authorizer function through the runtime with the 1.0 or 2.0
 * event, reads its simple or IAM-policy answer, and caches the answer for the TTL. A cached policy is
 * evaluated again against each request's own route ARN.
 */
export class LambdaAuthorizer {
  private readonly cache = new AuthorizerResultCache<AuthorizerAnswer>();
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private invocationCount = 0;

  constructor(private readonly options: LambdaAuthorizerOptions) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** How many times an authorizer function was invoked (cache misses). */
  get invocations(): number {
    return this.invocationCount;
  }

  async authorize(input: LambdaAuthorizationRequest): Promise<LambdaAuthorizationResult> {
    const { authorizer } = input;
    const values = identityValues(authorizer, input.request);
    if (values === null) {
      return { allow: false, status: 401, reason: `identity source missing or empty (${authorizer.identitySource.join(", ")})` };
    }
    // Without an identity source there is nothing to key a cached result by, so nothing is cached.
    const caching = authorizer.resultTtlSeconds > 0 && authorizer.identitySource.length > 0;
    const key = JSON.stringify([authorizer, values]);
    const cached = caching ? this.cache.get(key, this.now()) : undefined;
    if (cached) return this.decide(cached, input.routeArn, true);
    const event =
      authorizer.payloadFormatVersion === "2.0"
        ? authorizerEventV2(input.request, input.routeArn, values)
        : authorizerEventV1(input.request, input.routeArn, values, input.resource);
    this.invocationCount++;
    // The authorizer is its own Lambda invocation, with its own awsRequestId.
    const outcome = await this.invoke(authorizer.functionId, event);
    if (outcome === TIMED_OUT) return { allow: false, status: 500, reason: `authorizer "${authorizer.id}" did not answer within ${this.timeoutMs} ms` };
    if (!outcome.ok) return { allow: false, status: 500, reason: `authorizer "${authorizer.id}" failed (${outcome.kind}): ${outcome.message}` };
    const read = readAuthorizerAnswer(outcome.payload, authorizer);
    if (!read.ok) return { allow: false, status: 500, reason: `authorizer "${authorizer.id}" gave a malformed answer: ${read.problem}` };
    // Denials are cached like allows; failures above never are.
    if (caching) this.cache.set(key, read.answer, this.now() + authorizer.resultTtlSeconds * 1000);
    return this.decide(read.answer, input.routeArn, false);
  }

  /** Forgets cached answers. */
  clear(): void {
    this.cache.clear();
  }

  private decide(answer: AuthorizerAnswer, arn: string, cached: boolean): LambdaAuthorizationResult {
    if (answer.kind === "simple") {
      return answer.isAuthorized ? { allow: true, context: answer.context, cached } : { allow: false, status: 403, reason: `isAuthorized: false${cached ? " (cached)" : ""}` };
    }
    const verdict = evaluatePolicy(answer.policyDocument, arn, this.options.warn);
    if (!verdict.ok) return { allow: false, status: 500, reason: verdict.problem };
    if (!verdict.allow) return { allow: false, status: 403, reason: `the policy${cached ? " (cached)" : ""} does not allow execute-api:Invoke on ${arn}` };
    // principalId joins the context; a context key of the same name wins (docs/authorizers.md).
    const context = answer.principalId === null ? answer.context : { principalId: answer.principalId, ...(answer.context ?? {}) };
    return { allow: true, context, cached };
  }

  private invoke(functionId: string, event: unknown): Promise<InvokeOutcome | typeof TIMED_OUT> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.timeoutMs, TIMED_OUT);
      this.options.invoker.invoke(functionId, event).then(
        (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        (err: unknown) => {
          clearTimeout(timer);
          resolve({ ok: false, kind: "crashed", message: err instanceof Error ? err.message : String(err) });
        },
      );
    });
  }
}
