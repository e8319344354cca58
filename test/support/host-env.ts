import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./run-bin.js";

/** A private GATEHOUSE_HOME and port range for one test file, so hosts of parallel tests never meet. */
export function isolatedHost(): {
  env: NodeJS.ProcessEnv;
  home: string;
  /** Runs `gatehouse <args>` to completion, asynchronously: the test's open sockets keep being served meanwhile. */
  run(args: string[], cwd: string): Promise<{ code: number | null; out: string }>;
  cleanup(): Promise<void>;
} {
  const home = mkdtempSync(join(tmpdir(), "gatehouse-home-"));
  const env = {
    GATEHOUSE_HOME: home,
    GATEHOUSE_FIRST_PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
    // `list` also asks AWS when credentials exist: a test host never finds any, and never reaches for metadata.
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_PROFILE: "",
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "",
    AWS_CONTAINER_CREDENTIALS_FULL_URI: "",
    AWS_WEB_IDENTITY_TOKEN_FILE: "",
    AWS_CONFIG_FILE: join(home, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "no-aws-credentials"),
  };
  const run = async (args: string[], cwd: string) => {
    const result = await runBin(args, { cwd, env });
    return { code: result.code, out: `${result.stdout}${result.stderr}` };
  };
  return {
    env,
    home,
    run,
    async cleanup() {
      await run(["host", "stop"], home);
      if (!process.env.KEEP_GATEHOUSE_HOME) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The first `ApiEndpoint: <url>` in a command's output. */
export function endpointIn(output: string): string {
  const match = /ApiEndpoint: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
  if (!match) throw new Error(`no ApiEndpoint in:\n${output}`);
  return match[1];
}
