/**
 * `npm run bench`: Gatehouse against bare node:http, measured in the same run, alternating, so the ratios hold
 * on a noisy machine: each ratio is the median over rounds of (candidate / the baseline run just before it).
 * Every load is bounded (50 connections, a few seconds a round) and loopback-only.
 *   - gateway: GET /public through gateway + worker thread vs bare node:http returning the same constant
 *   - authorizer: GET /private with a valid RS256 token vs bare node:http verifying each request with jose
 *   - dev cold start (command → first 200) and save → served latency
 * Results print as a table and are written to bench/results/latest.json.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import autocannon from "autocannon";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { tempApp } from "../test/support/temp-app.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;
const BIN = new URL("../bin/gatehouse.js", import.meta.url).pathname;
const BARE = new URL("./bare-servers.mjs", import.meta.url).pathname;

interface Running {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function startProcess(args: string[], cwd: string, ready: RegExp): Promise<Running> {
  const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${text}`)), 30_000);
    const onData = (chunk: Buffer) => {
      text += chunk;
      const match = ready.exec(text);
      if (match) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners("data");
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({
          url: match[1],
          child,
          stop: () =>
            new Promise((done) => {
              child.once("exit", () => done());
              child.kill("SIGINT");
            }),
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", () => reject(new Error(`exited: ${text}`)));
  });
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, headers: Record<string, string> = {}): Promise<LoadResult> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

/** Alternates baseline and candidate rounds and returns both series. */
async function alternate(baseline: () => Promise<LoadResult>, candidate: () => Promise<LoadResult>, after?: () => void) {
  const base: LoadResult[] = [];
  const ours: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    base.push(await baseline());
    ours.push(await candidate());
    after?.();
  }
  return { base, ours };
}

function summarize(name: string, series: { base: LoadResult[]; ours: LoadResult[] }) {
  const baseRps = median(series.base.map((r) => r.rps));
  const oursRps = median(series.ours.map((r) => r.rps));
  // Each round pairs a baseline run with the candidate run right after it, so the machine's drift between
  // rounds (which moves the bare server by a third here) cancels out of each round's ratio.
  const ratios = series.ours.map((r, round) => r.rps / series.base[round].rps);
  return {
    name,
    baseline: { rps: baseRps, p50: median(series.base.map((r) => r.p50)), p99: median(series.base.map((r) => r.p99)) },
    gatehouse: {
      rps: oursRps,
      p50: median(series.ours.map((r) => r.p50)),
      p99: median(series.ours.map((r) => r.p99)),
      failed: series.ours.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
    },
    ratio: median(ratios),
    roundRatios: ratios.map((ratio) => Math.round(ratio * 1000) / 1000),
  };
}

async function benchGateway() {
  const app = tempApp();
  const bare = await startProcess([BARE, "constant"], app.root, /listening (http:\S+)/);
  const dev = await startProcess([BIN, "dev", "--port", "0", "--idp", "remote"], app.root, /ApiEndpoint: (http:\S+)/);
  let peak = 0;
  try {
    const series = await alternate(
      () => load(`${bare.url}/`),
      () => load(`${dev.url}/public`),
      () => {
        peak = Math.max(peak, rssMb(dev.child.pid!).rss);
      },
    );
    return { ...summarize("GET /public, 50 connections", series), rssMb: Math.round(peak), peakRssMb: Math.round(rssMb(dev.child.pid!).peak) };
  } finally {
    await Promise.all([bare.stop(), dev.stop()]);
    app.remove();
  }
}

async function benchAuthorizer() {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "RS256", use: "sig" };
  const issuerServer = createServer((req, res) => {
    const base = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration") res.end(JSON.stringify({ issuer: `${base}/`, jwks_uri: `${base}/jwks.json` }));
    else if (req.url === "/jwks.json") res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, "127.0.0.1", resolve));
  const issuerBase = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
  const issuer = `${issuerBase}/`;
  const audience = "bench-audience";
  const token = await new SignJWT({ scope: "openid profile" })
    .setProtectedHeader({ alg: "RS256", kid: "bench" })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject("auth0|60357a6d98e3e5006a9d74a3")
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(privateKey);
  const app = tempApp();
  const stack = readFileSync(`${app.root}/stacks/MyStack.js`, "utf8")
    .replace("https://myorg.us.auth0.com/", issuer)
    .replace("UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVif", audience);
  app.write("stacks/MyStack.js", stack);
  const floor = await startProcess([BARE, "jose", `${issuerBase}/jwks.json`, issuer, audience], app.root, /listening (http:\S+)/);
  const dev = await startProcess([BIN, "dev", "--port", "0"], app.root, /ApiEndpoint: (http:\S+)/);
  const headers = { authorization: `Bearer ${token}` };
  try {
    const series = await alternate(
      () => load(`${floor.url}/private`, headers),
      () => load(`${dev.url}/private`, headers),
    );
    return summarize("GET /private with a valid RS256 token, 50 connections", series);
  } finally {
    await Promise.all([floor.stop(), dev.stop()]);
    issuerServer.close();
    app.remove();
  }
}

async function benchColdStart(idp: "embedded" | "remote") {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const app = tempApp();
    const started = performance.now();
    const dev = await startProcess([BIN, "dev", "--port", "0", "--idp-port", "0", "--idp", idp], app.root, /ApiEndpoint: (http:\S+)/);
    while ((await fetch(`${dev.url}/public`).catch(() => null))?.status !== 200) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    times.push(performance.now() - started);
    await dev.stop();
    app.remove();
  }
  return { idp, medianMs: Math.round(median(times)), runs: times.map(Math.round) };
}

async function benchSaveToServed() {
  const app = tempApp();
  const dev = await startProcess([BIN, "dev", "--port", "0", "--idp", "remote"], app.root, /ApiEndpoint: (http:\S+)/);
  const times: number[] = [];
  try {
    for (let edit = 0; edit < 20; edit++) {
      const marker = `edit ${edit}`;
      const started = performance.now();
      const source = `export async function main() {\n  return { statusCode: 200, body: "${marker}" };\n}\n`;
      // Every other save as editors with "safe write" do it: a temporary file renamed over the original.
      if (edit % 2 === 0) writeFileSync(`${app.root}/src/public.js`, source);
      else {
        writeFileSync(`${app.root}/src/public.js.tmp`, source);
        renameSync(`${app.root}/src/public.js.tmp`, `${app.root}/src/public.js`);
      }
      while ((await (await fetch(`${dev.url}/public`)).text()) !== marker) {
        if (performance.now() - started > 5000) throw new Error(`edit ${edit} not served within 5 s`);
      }
      times.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await dev.stop();
    app.remove();
  }
  return { medianMs: Math.round(median(times)), p90Ms: Math.round(percentile(times, 0.9)), runs: times.map(Math.round) };
}

const only = process.argv[2];
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, secondsPerRound: SECONDS };
if (!only || only === "gateway") results.gateway = await benchGateway();
if (!only || only === "authorizer") results.authorizer = await benchAuthorizer();
if (!only || only === "cold-start") results.coldStart = [await benchColdStart("remote"), await benchColdStart("embedded")];
if (!only || only === "reload") results.saveToServed = await benchSaveToServed();
console.log(JSON.stringify(results, null, 2));
mkdirSync(new URL("./results", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/latest.json", import.meta.url), JSON.stringify(results, null, 2));
