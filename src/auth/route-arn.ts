import { LOCAL_ACCOUNT_ID } from "../manifest/manifest.js";

/**
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>` built from the request itself:
 * its own method and path (never the route template), the path without its leading slash, and the stage as
 * the literal `$default` (docs/authorizers.md).
 */
export function routeArn(input: { region: string; apiId: string; stage: string; method: string; path: string }): string {
  return `arn:aws:execute-api:${input.region}:${LOCAL_ACCOUNT_ID}:${input.apiId}/${input.stage}/${input.method.toUpperCase()}/${input.path.replace(/^\//, "")}`;
}
