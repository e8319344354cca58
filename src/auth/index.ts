/** The JWT authorizer capability: what the gateway and the config checks use. */
export { JwtAuthorizer, type JwtAuthorizerOptions, type JwtAuthorizerStats } from "./jwt-authorizer.js";
export { validateAuthorizerConfig, MAX_AUDIENCES, MAX_ROUTE_SCOPES } from "./validate-authorizer-config.js";
export { stringifyClaims } from "./stringify-claims.js";
export { tokenScopes } from "./token-scopes.js";
export type { Authorizer, AuthorizationRequest, AuthorizationResult } from "./types.js";
export { verdictLine, wwwAuthenticateValue } from "./verdict-line.js";
