import { GatehouseError } from "../errors.js";

/** How long one AWS call may take before it counts as unreachable; with two attempts, well under 30 s. */
const CONNECT_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 8_000;
/** The whole check, whatever the SDK does inside (credential lookups, retries). */
const CHECK_DEADLINE_MS = 20_000;

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EPIPE"]);
const REJECTED = new Set([
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "AccessDenied",
  "UnrecognizedClientException",
  "CredentialsProviderError",
  "TokenProviderError",
]);

/** The AWS account and the identity the credentials belong to. */
export interface AwsIdentity {
  account: string;
  arn: string;
}

/**
 * One bounded call (STS GetCallerIdentity) before any deploy, remove or list: it proves the endpoint is
 * reachable and the credentials are accepted, so a wrong endpoint fails in seconds with
 * GH_ERR_AWS_UNREACHABLE and bad credentials with GH_ERR_AWS_CREDENTIALS_REJECTED, instead of the toolkit
 * retrying for minutes.
 */
export async function checkAwsAccess(region: string, credentialSource: string): Promise<AwsIdentity> {
  quietSdkNodeWarning();
  const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  const client = new STSClient({
    region,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  });
  const endpoint = process.env.AWS_ENDPOINT_URL_STS || process.env.AWS_ENDPOINT_URL || `the STS endpoint of ${region}`;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer in ${CHECK_DEADLINE_MS / 1000} s`), { code: "ETIMEDOUT" })), CHECK_DEADLINE_MS);
  });
  try {
    const identity = await Promise.race([client.send(new GetCallerIdentityCommand({})), deadline]);
    return { account: identity.Account ?? "", arn: identity.Arn ?? "" };
  } catch (err) {
    throw asAwsError(err, endpoint, credentialSource);
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}

/** An SDK failure as the coded error a user can act on. */
export function asAwsError(err: unknown, endpoint: string, credentialSource: string): GatehouseError {
  if (err instanceof GatehouseError) return err;
  const failure = err as { name?: string; code?: string; message?: string; cause?: { code?: string } } | null;
  const code = failure?.code ?? failure?.cause?.code ?? "";
  const name = failure?.name ?? "";
  const message = failure?.message ?? String(err);
  if (NETWORK_CODES.has(code) || name === "TimeoutError" || /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|socket hang up|connect /i.test(message)) {
    return new GatehouseError(
      "GH_ERR_AWS_UNREACHABLE",
      `Could not reach AWS at ${endpoint} (${code || name || "network error"}: ${firstLine(message)}). Nothing was changed on AWS. Fix: check the network or proxy, and AWS_ENDPOINT_URL if it is set.`,
    );
  }
  if (REJECTED.has(name) || REJECTED.has(code)) {
    return new GatehouseError(
      "GH_ERR_AWS_CREDENTIALS_REJECTED",
      `AWS refused the credentials from ${credentialSource} (${name || code}: ${firstLine(message)}). Fix: refresh them (\`aws sso login\`, new access keys) or pick another profile with AWS_PROFILE.`,
    );
  }
  return new GatehouseError("GH_ERR_AWS_DEPLOY_FAILED", `AWS answered with an error: ${name ? `${name}: ` : ""}${firstLine(message)}`);
}

function firstLine(text: string): string {
  return text.split("\n")[0].slice(0, 300);
}

/**
 * The AWS SDK warns, on Node.js below 22, about its own releases of next year; a Gatehouse user cannot act
 * on it, and it would bury the one line a command prints. Left alone when the user set the variable.
 */
function quietSdkNodeWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
