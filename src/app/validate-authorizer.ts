import type { JwtAuthorizerManifest, LambdaAuthorizerManifest } from "../manifest/manifest.js";
import { parseIdentitySource, parseRequestIdentitySource } from "./identity-source.js";
import { parseKeySourceUrl } from "./issuer-url.js";

/** API Gateway's quotas (docs/api-gateway.md §3.5). */
export const MAX_AUDIENCES = 50;
export const MAX_ROUTE_SCOPES = 10;

/**
 * Config-time checks of a JWT authorizer and one route's scopes, as API Gateway's management API would
 * refuse them. Returns one message per problem; empty when the configuration is accepted.
 */
export function validateAuthorizerConfig(a: JwtAuthorizerManifest, routeScopes: string[]): string[] {
  const problems: string[] = [];
  const name = `authorizer "${a.id}"`;
  if (a.audience.length > MAX_AUDIENCES) {
    problems.push(`${name} has ${a.audience.length} audiences; API Gateway allows at most ${MAX_AUDIENCES}`);
  }
  if (a.audience.some((aud) => typeof aud !== "string" || aud === "")) {
    problems.push(`${name} has an empty audience entry`);
  }
  if (routeScopes.length > MAX_ROUTE_SCOPES) {
    problems.push(`a route using ${name} has ${routeScopes.length} authorization scopes; API Gateway allows at most ${MAX_ROUTE_SCOPES}`);
  }
  if (parseIdentitySource(a.identitySource) === null) {
    problems.push(
      `${name} has identitySource "${a.identitySource}"; use exactly one of $request.header.<Name> or $request.querystring.<name>`,
    );
  }
  const issuer = parseKeySourceUrl(a.issuer);
  if (!issuer.ok) problems.push(`${name} issuer ${issuer.problem}`);
  else if (issuer.url.search !== "" || issuer.url.hash !== "") {
    problems.push(`${name} issuer "${a.issuer}" must not have a query or fragment`);
  }
  return problems;
}

/** Config-time checks of a Lambda authorizer; one message per problem. */
export function validateLambdaAuthorizerConfig(a: LambdaAuthorizerManifest): string[] {
  const problems: string[] = [];
  const name = `authorizer "${a.id}"`;
  for (const source of a.identitySource) {
    if (parseRequestIdentitySource(source) === null) {
      problems.push(`${name} has identitySource "${source}"; use $request.header.<Name>, $request.querystring.<name>, $context.<var> or $stageVariables.<var>`);
    }
  }
  if (a.enableSimpleResponses && a.payloadFormatVersion !== "2.0") problems.push(`${name} enables simple responses, which need payload format 2.0`);
  if (!Number.isInteger(a.resultTtlSeconds) || a.resultTtlSeconds < 0 || a.resultTtlSeconds > 3600) {
    problems.push(`${name} caches results for ${a.resultTtlSeconds} s; API Gateway allows 0 to 3600`);
  }
  return problems;
}
