import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { BIN } from "./cli-process.js";

/** Variables through which the AWS SDK finds credentials or endpoints; none may leak in from the machine. */
const AWS_VARIABLES = /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|DEFAULT_PROFILE|WEB_IDENTITY_TOKEN_FILE|ROLE_ARN|CONTAINER_CREDENTIALS_.*|CONTAINER_AUTHORIZATION_TOKEN.*|ENDPOINT_URL.*|SHARED_CREDENTIALS_FILE|CONFIG_FILE|REGION|DEFAULT_REGION)$/;

/**
 * An environment in which the AWS SDK can reach nothing but loopback: no credentials from the machine, no
 * instance metadata, shared files pointed at a directory that has none, and `extra` on top (fake keys,
 * an endpoint on 127.0.0.1).
 */
export function awsTestEnv(emptyDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!AWS_VARIABLES.test(key)) env[key] = value;
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: join(emptyDir, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(emptyDir, "no-aws-credentials"),
    AWS_REGION: "us-east-1",
    ...extra,
  };
}

/** AWS's documented example key pair, as environment variables: credentials that exist and reach no account. */
export const FAKE_AWS_KEYS = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

/** Fake credentials with every endpoint at a closed port on 127.0.0.1. */
export async function unreachableAwsEnv(emptyDir: string): Promise<NodeJS.ProcessEnv> {
  const port = await closedPort();
  return awsTestEnv(emptyDir, { ...FAKE_AWS_KEYS, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
}

/** A loopback port nothing listens on (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `gatehouse <args>` to completion in `cwd` with exactly `env`. */
export function runGatehouse(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: "utf8", timeout: timeoutMs });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `gatehouse <args>` without blocking this process, for tests whose own servers (a stand-in for AWS)
 * must keep answering while the command runs. Killed after `timeoutMs` (then `code` is null).
 */
export function runGatehouseAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
