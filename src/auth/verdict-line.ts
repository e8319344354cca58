import type { AuthorizationResult } from "./types.js";

/**
 * The dev log line for one authorization: route, status and reason, e.g.
 * `GET /private 401 aud mismatch: got "x", expected one of ["y"]`. Allowed requests show 200 and the
 * token's sub, since that is what users check first when a route answers unexpectedly.
 */
export function verdictLine(routeKey: string, result: AuthorizationResult): string {
  if (result.allow) {
    const sub = result.claims.sub;
    return `${routeKey} 200 authorized${sub === undefined ? "" : ` sub ${JSON.stringify(sub)}`}`;
  }
  return `${routeKey} ${result.status} ${oneLine(result.reason)}`;
}

/**
 * The `www-authenticate` value API Gateway sends with a 401 (spec §3.3). Quotes and line breaks in the
 * description are replaced so a description can never break out of the quoted parameter.
 */
export function wwwAuthenticateValue(description: string): string {
  const safe = oneLine(description).replace(/["\\]/g, "'");
  return `Bearer scope="" error="invalid_token" error_description="${safe}"`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ");
}
