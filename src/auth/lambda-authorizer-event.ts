import type { LambdaAuthorizerManifest } from "../manifest/manifest.js";
import { parseRequestIdentitySource } from "../app/identity-source.js";

/** The parts of the payload 2.0 integration event a Lambda authorizer's event is made from. */
export interface RequestView {
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
}

/**
 * The identity-source values in configured order, or null when one is missing or empty (the client then gets
 * 401 and the function is not invoked). Headers match case-insensitively, query parameters exactly.
 */
export function identityValues(authorizer: LambdaAuthorizerManifest, request: RequestView): string[] | null {
  const values: string[] = [];
  for (const text of authorizer.identitySource) {
    const source = parseRequestIdentitySource(text);
    let value: string | undefined;
    if (source?.in === "header") value = request.headers[source.name.toLowerCase()];
    else if (source?.in === "querystring") value = request.queryStringParameters?.[source.name];
    else if (source?.in === "context") value = contextVariable(request, source.name);
    else if (source?.in === "stageVariables") value = request.stageVariables?.[source.name];
    if (value === undefined || value.trim() === "") return null;
    values.push(value);
  }
  return values;
}

/** The `$context.<name>` variables a local gateway knows. */
function contextVariable(request: RequestView, name: string): string | undefined {
  const context = request.requestContext;
  const known: Record<string, string> = {
    accountId: context.accountId,
    apiId: context.apiId,
    domainName: context.domainName,
    domainPrefix: context.domainPrefix,
    httpMethod: context.http.method,
    path: context.http.path,
    protocol: context.http.protocol,
    requestId: context.requestId,
    routeKey: context.routeKey,
    stage: context.stage,
    "identity.sourceIp": context.http.sourceIp,
    "identity.userAgent": context.http.userAgent,
  };
  return Object.hasOwn(known, name) ? known[name] : undefined;
}

/**
 * The payload 2.0 authorizer event (docs/authorizers.md): empty maps left out, no body, `identitySource` the raw
 * values (null without sources), and the integration's requestContext without `authorizer`.
 */
export function authorizerEventV2(request: RequestView, routeArn: string, values: string[]): Record<string, unknown> {
  const event: Record<string, unknown> = {
    version: "2.0",
    type: "REQUEST",
    routeArn,
    identitySource: values.length > 0 ? values : null,
    routeKey: request.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
  };
  if (request.cookies && request.cookies.length > 0) event.cookies = request.cookies;
  event.headers = request.headers;
  if (request.queryStringParameters && Object.keys(request.queryStringParameters).length > 0) event.queryStringParameters = request.queryStringParameters;
  const { authorizer: _dropped, ...requestContext } = request.requestContext as RequestView["requestContext"] & { authorizer?: unknown };
  event.requestContext = requestContext;
  if (request.pathParameters && Object.keys(request.pathParameters).length > 0) event.pathParameters = request.pathParameters;
  if (request.stageVariables && Object.keys(request.stageVariables).length > 0) event.stageVariables = request.stageVariables;
  return event;
}

/**
 * The payload 1.0 authorizer event, REST's REQUEST shape: `methodArn`, comma-joined `identitySource` and
 * `authorizationToken`, multi-value maps, and null for empty maps (docs/authorizers.md).
 */
export function authorizerEventV1(request: RequestView, routeArn: string, values: string[], resource: string): Record<string, unknown> {
  const context = request.requestContext;
  const joined = values.join(",");
  const query = request.queryStringParameters;
  const multiQuery = query ? Object.fromEntries(Object.entries(query).map(([key, value]) => [key, value.split(",")])) : null;
  const multiHeaders = Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, [value]]));
  return {
    version: "1.0",
    type: "REQUEST",
    methodArn: routeArn,
    identitySource: joined,
    authorizationToken: joined,
    resource,
    path: request.rawPath,
    httpMethod: context.http.method,
    headers: request.headers,
    multiValueHeaders: multiHeaders,
    queryStringParameters: query && Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: multiQuery && Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters: request.pathParameters && Object.keys(request.pathParameters).length > 0 ? request.pathParameters : null,
    stageVariables: request.stageVariables && Object.keys(request.stageVariables).length > 0 ? request.stageVariables : null,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: context.domainName,
      domainPrefix: context.domainPrefix,
      extendedRequestId: context.requestId,
      httpMethod: context.http.method,
      identity: { sourceIp: context.http.sourceIp, userAgent: context.http.userAgent, clientCert: null },
      path: context.http.path,
      protocol: context.http.protocol,
      requestId: context.requestId,
      requestTime: context.time,
      requestTimeEpoch: context.timeEpoch,
      resourceId: context.routeKey,
      resourcePath: resource,
      stage: context.stage,
    },
  };
}
