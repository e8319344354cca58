import { createHash } from "node:crypto";

type KoaContext = any;
type Next = () => Promise<void>;

/**
 * Adapts an Auth0-style `/authorize` query to oidc-provider 9:
 * - PKCE `plain` (Auth0 still accepts it; oidc-provider only S256): the plain challenge is hashed here, so
 *   the verifier later checks out under S256 because for `plain` verifier === challenge.
 * - `audience` becomes the `resource` indicator.
 * - `offline_access` needs `prompt=consent` or oidc-provider drops it (OIDC Core); the consent is then
 *   granted without UI by the login pages, as Auth0 does for first-party applications.
 */
export function authorizeDialect() {
  return async function authorize(ctx: KoaContext, next: Next): Promise<void> {
    if (ctx.path !== "/authorize" || ctx.method !== "GET") return next();
    const query: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(ctx.querystring)) query[key] = value;
    if (query.code_challenge && (query.code_challenge_method ?? "plain") === "plain") {
      query.code_challenge = createHash("sha256").update(query.code_challenge).digest("base64url");
      query.code_challenge_method = "S256";
    }
    if (query.audience && query.resource === undefined) query.resource = query.audience;
    const prompts = (query.prompt ?? "").split(" ").filter(Boolean);
    if ((query.scope ?? "").split(" ").includes("offline_access") && !prompts.includes("none") && !prompts.includes("consent")) {
      query.prompt = [...prompts, "consent"].join(" ");
    }
    ctx.querystring = new URLSearchParams(query).toString();
    return next();
  };
}

/**
 * Adds what Auth0 publishes and this tenant implements to oidc-provider's well-known documents: PKCE
 * `plain` in discovery, and each key's `x5t` (SHA-1 thumbprint of its certificate) in the JWKS.
 */
export function wellKnownDialect() {
  return async function wellKnown(ctx: KoaContext, next: Next): Promise<void> {
    await next();
    if (ctx.status !== 200 || !ctx.body) return;
    if (ctx.path === "/.well-known/openid-configuration") {
      ctx.body.code_challenge_methods_supported = ["S256", "plain"];
    } else if (ctx.path === "/.well-known/jwks.json" && Array.isArray(ctx.body.keys)) {
      ctx.body = {
        keys: ctx.body.keys.map((key: { x5c?: string[] }) =>
          key.x5c?.[0] ? { ...key, x5t: createHash("sha1").update(Buffer.from(key.x5c[0], "base64")).digest("base64url") } : key,
        ),
      };
    }
  };
}
