import { stringify } from "node:querystring";
import { decodeJwt } from "jose";
import { parseFields, readRawBody } from "./request-body.js";
import type { TenantRuntime } from "./tenant-runtime.js";

// Koa's context as oidc-provider hands it to `provider.use` middleware; its bundled koa has no types here.
type KoaContext = any;
type Next = () => Promise<void>;

const GRANTS_WITH_AUDIENCE = new Set(["client_credentials", "password", "http://auth0.com/oauth/grant-type/password-realm"]);

/** Remembers the error oidc-provider raised for a token request, so the response can use Auth0's wording. */
export const grantErrors = new WeakMap<object, Error & { cause?: unknown; error_description?: string }>();

function decodeBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  try {
    // RFC 6749 §2.3.1: both parts are form-url-encoded before base64.
    const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * Rewrites a token/revocation request into what oidc-provider understands: JSON bodies become forms,
 * `client_secret_basic` becomes `client_secret_post` (applications are registered for post, Auth0 takes
 * both), and Auth0's `audience` becomes a resource indicator.
 */
async function normalizeRequest(ctx: KoaContext, tenant: TenantRuntime): Promise<boolean> {
  let raw: string;
  try {
    raw = await readRawBody(ctx.req);
  } catch {
    ctx.status = 413;
    ctx.body = { error: "invalid_request", error_description: "The request body is too large." };
    return false;
  }
  const fields = parseFields(ctx.get("content-type"), raw);
  if (!fields) {
    ctx.status = 400;
    ctx.body = { error: "invalid_request", error_description: "The request body must be a form or a JSON object." };
    return false;
  }
  const basic = decodeBasic(ctx.get("authorization"));
  if (basic && fields.client_secret === undefined && (fields.client_id === undefined || fields.client_id === basic.id)) {
    fields.client_id = basic.id;
    fields.client_secret = basic.secret;
    delete ctx.req.headers.authorization;
  }
  if (ctx.path === "/oauth/token") {
    const grantType = fields.grant_type ?? "";
    if (fields.audience !== undefined && GRANTS_WITH_AUDIENCE.has(grantType) && fields.resource === undefined) {
      fields.resource = fields.audience;
    }
    // Codes and refresh tokens carry the audience they were issued for; oidc-provider must not see it twice.
    if (!GRANTS_WITH_AUDIENCE.has(grantType)) delete fields.resource;
    delete fields.audience;
    if (grantType === "client_credentials" && fields.scope === undefined && fields.resource && fields.client_id) {
      // Auth0 grants every scope of the client grant when none is asked for.
      const granted = tenant.store.getClientGrant(fields.client_id, fields.resource);
      if (granted?.length) fields.scope = granted.join(" ");
    }
  }
  ctx.req.body = stringify(fields);
  ctx.req.headers["content-type"] = "application/x-www-form-urlencoded";
  // type-is only sees a body when a length (or chunked encoding) is declared.
  ctx.req.headers["content-length"] = String(Buffer.byteLength(ctx.req.body));
  delete ctx.req.headers["transfer-encoding"];
  return true;
}

function auth0Description(ctx: KoaContext, grantType: string, error: string, description: string): string {
  if (error === "invalid_grant") {
    const cause = grantErrors.get(ctx)?.cause as Error | undefined;
    if (grantType === "authorization_code") {
      return /code_verifier|code_challenge/.test(cause?.message ?? "") ? "Failed to verify code verifier" : "Invalid authorization code";
    }
    if (grantType === "refresh_token") return "Unknown or invalid refresh token.";
    return description;
  }
  if (error === "unauthorized_client" && /grant_type/.test(description)) {
    return `Grant type '${grantType}' not allowed for the client.`;
  }
  if (error === "unsupported_grant_type") return `Unsupported grant type: ${grantType}`;
  const missing = /^missing required parameters? (.+)$/.exec(description);
  if (error === "invalid_request" && missing) return `Missing required parameter: ${missing[1].split(/,? and |, /)[0].replace(/'/g, "")}`;
  return description;
}

/** Rewrites oidc-provider's RFC-style errors into Auth0's statuses and descriptions (unless strict OIDC). */
function toAuth0Error(ctx: KoaContext, grantType: string): void {
  const body = ctx.body as { error?: string; error_description?: string } | undefined;
  if (!body || typeof body !== "object" || typeof body.error !== "string") return;
  const description = body.error_description ?? "";
  switch (body.error) {
    case "invalid_client":
      ctx.status = 401;
      ctx.body = { error: "access_denied", error_description: "Unauthorized" };
      ctx.remove("WWW-Authenticate");
      return;
    case "invalid_grant":
    case "unauthorized_client":
    case "access_denied":
      ctx.status = 403;
      break;
    case "invalid_target":
      ctx.status = 403;
      ctx.body = { error: "access_denied", error_description: description };
      return;
  }
  ctx.body = { error: body.error, error_description: auth0Description(ctx, grantType, body.error, description) };
}

/** Keeps the token response to Auth0's keys, with `scope` as the access token states it. */
function shapeTokenResponse(ctx: KoaContext): void {
  const body = ctx.body as Record<string, unknown> | undefined;
  if (!body || typeof body.access_token !== "string") return;
  if (body.access_token.split(".").length === 3) {
    try {
      const claims = decodeJwt(body.access_token);
      if (typeof claims.scope === "string") body.scope = claims.scope;
    } catch {
      // Not one of our JWTs; leave scope as is.
    }
  }
  const ordered: Record<string, unknown> = {};
  for (const key of ["access_token", "refresh_token", "id_token", "scope", "expires_in", "token_type"]) {
    if (body[key] !== undefined) ordered[key] = body[key];
  }
  ctx.body = ordered;
}

/** `provider.use` middleware giving /oauth/token and /oauth/revoke Auth0's request and response dialect. */
export function tokenEndpointDialect(tenant: TenantRuntime) {
  return async function tokenEndpoint(ctx: KoaContext, next: Next): Promise<void> {
    const isToken = ctx.path === "/oauth/token";
    if ((!isToken && ctx.path !== "/oauth/revoke") || ctx.method !== "POST") return next();
    if (!(await normalizeRequest(ctx, tenant))) return;
    const grantType = new URLSearchParams(ctx.req.body as string).get("grant_type") ?? "";
    await next();
    if (ctx.status >= 400) {
      if (!tenant.strictOidc) toAuth0Error(ctx, grantType);
    } else if (isToken) {
      shapeTokenResponse(ctx);
    }
  };
}
