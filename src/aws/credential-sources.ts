import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { GatehouseError } from "../errors.js";

/**
 * Where the standard AWS chain would find credentials, judged from local files and variables only, so a
 * machine with none is told so before any network call (docs/aws-target.md, "Credentials"). The instance
 * metadata service is deliberately not probed: that is a network call.
 */
export function findCredentialSource(env: NodeJS.ProcessEnv = process.env, home = homedir()): string | null {
  const set = (name: string) => typeof env[name] === "string" && env[name] !== "";
  if (set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY")) return "the environment (AWS_ACCESS_KEY_ID)";
  if (set("AWS_WEB_IDENTITY_TOKEN_FILE") && set("AWS_ROLE_ARN")) return "a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)";
  if (set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || set("AWS_CONTAINER_CREDENTIALS_FULL_URI")) return "the container credentials endpoint";
  const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || "default";
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials");
  const fromCredentials = readIni(credentialsFile)[profile];
  if (fromCredentials?.aws_access_key_id) return `profile "${profile}" in ${credentialsFile}`;
  const configFile = env.AWS_CONFIG_FILE || join(home, ".aws", "config");
  const config = readIni(configFile);
  const section = config[profile === "default" ? "default" : `profile ${profile}`] ?? config[profile];
  const usable = ["aws_access_key_id", "sso_session", "sso_start_url", "role_arn", "credential_process", "web_identity_token_file", "login_session"];
  if (section && usable.some((key) => section[key])) return `profile "${profile}" in ${configFile}`;
  return null;
}

/** Throws GH_ERR_AWS_NO_CREDENTIALS, naming every place credentials are read from, when there are none. */
export function requireCredentials(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const source = findCredentialSource(env, home);
  if (source) return source;
  throw new GatehouseError(
    "GH_ERR_AWS_NO_CREDENTIALS",
    `No AWS credentials found. They are read, as the AWS CLI reads them, from: the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE naming a profile); the shared credentials file (~/.aws/credentials, or AWS_SHARED_CREDENTIALS_FILE); the config file (~/.aws/config, or AWS_CONFIG_FILE) for profiles with SSO, a role or credential_process. Fix: run \`aws configure\` or \`aws sso login --profile <name>\` and export AWS_PROFILE, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
  );
}

/** A minimal INI reader: `[section]` headers and `key = value` lines; comments and unknown lines are skipped. */
function readIni(file: string): Record<string, Record<string, string>> {
  if (!existsSync(file)) return {};
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  for (const raw of readFileSync(file, "utf8").split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      current = {};
      sections[header[1].trim()] = current;
      continue;
    }
    const pair = /^([^=]+)=(.*)$/.exec(line);
    if (pair && current) current[pair[1].trim().toLowerCase()] = pair[2].trim();
  }
  return sections;
}
