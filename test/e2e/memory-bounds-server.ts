/**
 * A gateway with real workers in a process of its own, so a test can read that process's RSS from
 * /proc/<pid>/status. Defaults everywhere (body budget, log limits, queue bounds) but the timeouts the test
 * passes in the environment. Prints `{"port":N}` once listening; logs go to stderr.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGateway } from "../../src/gateway/gateway.js";
import type { Logger } from "../../src/log.js";
import { FunctionRuntime } from "../../src/runtime/function-runtime.js";
import type { FunctionSpec } from "../../src/runtime/types.js";
import { api, route, TokenTableAuthorizer } from "../gateway/in-process.js";

const dir = mkdtempSync(join(tmpdir(), "gatehouse-memory-"));
const handlers: Record<string, string> = {
  public: `export const main = async () => ({ statusCode: 200, body: "public" });`,
  // 100 MB in 64 kB writes and never a newline, pausing 10 ms after each MB so the flood spans several of the
  // log's one-second windows while others are served.
  flood: `const block = "z".repeat(64 * 1024);
    export const main = async () => {
      for (let mb = 0; mb < 100; mb++) {
        for (let i = 0; i < 16; i++) process.stdout.write(block);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return { statusCode: 200, body: "flooded" };
    };`,
  never: `export const main = async () => { console.log("started"); return new Promise(() => {}); };`,
  echo: `export const main = async (event) => ({ statusCode: 200, body: String((event.body ?? "").length) });`,
};
function spec(name: string, timeoutMs: number): FunctionSpec {
  const bundlePath = join(dir, `${name}.mjs`);
  writeFileSync(bundlePath, handlers[name]);
  return {
    id: name,
    functionName: `memory-${name}`,
    handler: `src/${name}.main`,
    bundlePath,
    exportName: "main",
    environment: {},
    region: "us-east-1",
    timeoutMs,
    memoryMb: 128,
    version: "v1",
  };
}

const logger: Logger = {
  info: (line) => process.stderr.write(`${line.slice(0, 300)}\n`),
  warn: (line) => process.stderr.write(`${line.slice(0, 300)}\n`),
  error: (line) => process.stderr.write(`${line.slice(0, 300)}\n`),
};
const runtime = new FunctionRuntime({ logger });
runtime.deploy(spec("public", 5_000));
runtime.deploy(spec("flood", 60_000));
runtime.deploy(spec("never", Number(process.env.NEVER_TIMEOUT_MS ?? 2_000)));
runtime.deploy(spec("echo", 5_000));
await Promise.all(["public", "flood", "never", "echo"].map((id) => runtime.prewarm(id)));
const gateway = createGateway({
  api: api([route("GET /public", "public"), route("GET /flood", "flood"), route("GET /never", "never"), route("POST /echo", "echo")]),
  invoker: runtime,
  authorizer: new TokenTableAuthorizer({}),
  logger,
  bodyTimeoutMs: Number(process.env.BODY_TIMEOUT_MS ?? 30_000),
  integrationTimeoutMs: Number(process.env.INTEGRATION_TIMEOUT_MS ?? 30_000),
});
const { port } = await gateway.listen(0);
process.stdout.write(`${JSON.stringify({ port })}\n`);

async function shutdown(): Promise<void> {
  await gateway.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
