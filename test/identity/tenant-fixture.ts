import { authorizeWithLogin } from "../../src/identity/token-via-login.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, type JWTPayload, jwtVerify } from "jose";
import { memoryLogger } from "../../src/log.js";
import { type IdentityProviderOptions, type RunningIdentityProvider, startIdentityProvider } from "../../src/identity/identity-provider.js";
import type { ApplicationRecord } from "../../src/identity/tenant-store.js";

export const ISSUER = "https://myorg.us.auth0.com/";
export const CLIENT_ID = "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif";
export const EMAIL = "jo@example.com";
export const PASSWORD = "Corr3ct-horse";
export const CALLBACK = "http://localhost:5678";

/** A running tenant for tests, with one application and one user, in a temp folder. */
export interface TestTenant {
  idp: RunningIdentityProvider;
  app: ApplicationRecord;
  dataDir: string;
  logs: string[];
  close(): Promise<void>;
}

/** Starts a tenant impersonating ISSUER (unless overridden) in a fresh temp folder. */
export async function startTestTenant(options: Partial<IdentityProviderOptions> = {}): Promise<TestTenant> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "gatehouse-idp-"));
  const logger = memoryLogger();
  const idp = await startIdentityProvider({
    issuer: ISSUER,
    applications: [{ clientId: CLIENT_ID, name: "Notes" }],
    logger,
    ...options,
    dataDir,
  });
  if (!idp.store.getUser(EMAIL)) await idp.store.addUser({ email: EMAIL, password: PASSWORD });
  return {
    idp,
    app: idp.store.getApplication(CLIENT_ID)!,
    dataDir,
    logs: logger.lines,
    async close() {
      await idp.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Verifies a JWT against the tenant's published JWKS, as an API Gateway authorizer would. */
export async function verifyWithJwks(idp: RunningIdentityProvider, token: string, audience: string): Promise<JWTPayload> {
  const jwks = (await (await fetch(new URL(".well-known/jwks.json", idp.url))).json()) as { keys: [] };
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: idp.issuer, audience, algorithms: ["RS256"] });
  return payload;
}

/** POSTs a form to the token endpoint and returns status, headers and JSON body. */
export async function postToken(
  idp: RunningIdentityProvider,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, any> }> {
  const response = await fetch(new URL("oauth/token", idp.url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

/** Logs the test user in (authorization code flow) and exchanges the code with the app's secret. */
export async function loginAndExchange(
  tenant: TestTenant,
  request: { scope: string; audience?: string },
): Promise<{ status: number; headers: Headers; body: Record<string, any> }> {
  const callback = await authorizeWithLogin({
    providerUrl: tenant.idp.url,
    clientId: CLIENT_ID,
    email: EMAIL,
    password: PASSWORD,
    ...request,
  });
  return postToken(tenant.idp, {
    grant_type: "authorization_code",
    client_id: CLIENT_ID,
    client_secret: tenant.app.clientSecret,
    code: callback.searchParams.get("code")!,
    redirect_uri: CALLBACK,
  });
}
