/**
 * `npm run bench`: Gatehouse against bare node:http, measured in the same run, alternating, so the ratios hold
 * on a noisy machine: each ratio is the median over rounds of (candidate / the baseline run just before it).
 * Every load is bounded (50 connections, a few seconds a round) and loopback-only.
 *   - gateway: GET /public through gateway + worker thread vs bare node:http returning the same constant
 *   - authorizer: GET /private with a valid RS256 token vs bare node:http verifying each request with jose
 *   - console: GET /public with the dev console open and streaming (an SSE client reading every event) vs
 *     the same app under `gatehouse dev --no-console`; the ratio must stay ≥ 0.9
 *   - dev cold start (command → first 200) and save → served latency
 *   - fairness: GET /public alone, beside one busy-looping route, and beside six faulty routes (loop, hang, exit,
 *     uncaught throw, out of memory, throw), each a ratio to /public alone in the same round
 * Results print as a table and are written to bench/results/latest.json.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import autocannon from "autocannon";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { launchChromium } from "../test/support/chromium.js";
import { tempApp } from "../test/support/temp-app.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;
const BIN = new URL("../bin/gatehouse.js", import.meta.url).pathname;
const BARE = new URL("./bare-servers.mjs", import.meta.url).pathname;

interface Running {
  url: string;
  match: RegExpExecArray;
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
        // Both: a listener left on stderr would re-scan all of it per chunk and throttle the child's writes.
        child.stdout?.removeAllListeners("data");
        child.stderr?.removeAllListeners("data");
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({
          url: match[1],
          match,
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

async function load(url: string, headers: Record<string, string> = {}, connections = CONNECTIONS): Promise<LoadResult> {
  return loadResult(await autocannon({ url, connections, duration: SECONDS, headers, timeout: 40 }));
}

/** The figures a bench keeps of one autocannon run. */
function loadResult(result: Awaited<ReturnType<typeof autocannon>>): LoadResult {
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
  // One round first that is not kept: it warms both servers (JIT, pools, workers), and a first round measured
  // here came out up to 40% below the rest, which moved the median ratio with it.
  await baseline();
  await candidate();
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

/** Opens the console link like a browser and keeps its event stream open, reading everything it pushes. */
/**
 * A console page's stream, read in a process of its own as a browser would: read in this process, it took
 * CPU from autocannon and measured the load generator rather than the server.
 */
async function openConsoleStream(link: string): Promise<{ bytes: () => number; close: () => void }> {
  const reader = `
    const link = process.argv[1];
    const opened = await fetch(link, { redirect: "manual" });
    const cookie = (opened.headers.get("set-cookie") ?? "").split(";")[0];
    const response = await fetch(new URL("/console/events", link), { headers: { cookie } });
    if (response.status !== 200 || !response.body) { console.log("refused " + response.status); process.exit(1); }
    let bytes = 0;
    setInterval(() => console.log(bytes), 200).unref();
    console.log(0);
    for await (const chunk of response.body) bytes += chunk.length;
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", reader, link], { stdio: ["ignore", "pipe", "inherit"] });
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    let buffered = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith("refused")) reject(new Error(`console stream ${line}`));
        bytes = Number(line);
        resolve();
      }
    });
    child.once("exit", () => reject(new Error("the console stream reader exited")));
  });
  return { bytes: () => bytes, close: () => child.kill() };
}

/** CPU time (user + system) a process has used, in ms; Linux clock ticks are 100 per second. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Runs a load and also returns the server's CPU ms per 1000 requests: steadier than rps on a shared machine. */
async function loadWithCpu(url: string, pid: number, cpuPerK: number[]): Promise<LoadResult> {
  const before = cpuMs(pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  cpuPerK.push(((cpuMs(pid) - before) * 1000) / Math.max(1, result.requests.total));
  return loadResult(result);
}

async function benchConsole() {
  const app = tempApp();
  // Two stages of one app: one `gatehouse dev` per stage runs at a time.
  const plain = await startProcess([BIN, "dev", "--port", "0", "--idp", "remote", "--no-console", "--stage", "plain"], app.root, /ApiEndpoint: (http:\S+)/);
  const watched = await startProcess([BIN, "dev", "--port", "0", "--idp", "remote", "--stage", "watched"], app.root, /ApiEndpoint: (http:\S+)[\s\S]*Console: (http:\S+)/);
  const stream = await openConsoleStream(watched.match[2]);
  try {
    const plainCpu: number[] = [];
    const watchedCpu: number[] = [];
    // The run that goes second in a round measured up to twice as fast here, whichever it was: the order
    // alternates (ABBA…) so that bias cancels out of the median ratio.
    const series: { base: LoadResult[]; ours: LoadResult[] } = { base: [], ours: [] };
    for (let round = 0; round < Math.max(2, ROUNDS); round++) {
      const runPlain = async () => series.base.push(await loadWithCpu(`${plain.url}/public`, plain.child.pid!, plainCpu));
      const runWatched = async () => series.ours.push(await loadWithCpu(`${watched.url}/public`, watched.child.pid!, watchedCpu));
      if (round % 2 === 0) {
        await runPlain();
        await runWatched();
      } else {
        await runWatched();
        await runPlain();
      }
    }
    if (stream.bytes() === 0) throw new Error("the console stream received nothing");
    return {
      ...summarize("GET /public with the console streaming, over without a console", series),
      // The server's own CPU per request, which other load on the machine moves far less than throughput.
      cpuMsPer1000Requests: { withoutConsole: median(plainCpu), withConsole: median(watchedCpu) },
      cpuRatio: median(plainCpu.map((ms, round) => ms / watchedCpu[round])),
      streamedKb: Math.round(stream.bytes() / 1024),
    };
  } finally {
    stream.close();
    await Promise.all([plain.stop(), watched.stop()]);
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

/**
 * Cold start of an app with a table (test/apps/notes-table-sdk-v3: a table with an index, SDK v3 handlers): the
 * local DynamoDB server starts and the tables are created before the first 200 (target: under 1.5 s).
 */
async function benchTableColdStart() {
  const source = new URL("../test/apps/notes-table-sdk-v3", import.meta.url).pathname;
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const root = mkdtempSync(join(tmpdir(), "gatehouse-bench-tables-"));
    cpSync(source, root, { recursive: true, filter: (src) => !src.includes(".gatehouse") });
    // Handlers import the AWS SDK, resolved from Gatehouse's own packages as the app's would be from its own.
    symlinkSync(new URL("../node_modules", import.meta.url).pathname, join(root, "node_modules"));
    const started = performance.now();
    const dev = await startProcess([BIN, "dev", "--port", "0", "--idp", "remote"], root, /ApiEndpoint: (http:\S+)/);
    while ((await fetch(`${dev.url}/tags/bench`).catch(() => null))?.status !== 200) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    times.push(performance.now() - started);
    await dev.stop();
    rmSync(root, { recursive: true, force: true });
  }
  return { name: "gatehouse dev of an app with a table: command → first 200 from a query (target < 1.5 s)", medianMs: Math.round(median(times)), runs: times.map(Math.round) };
}

/** The console in headless Chromium: first contentful paint of the printed link, on loopback (target < 300 ms). */
async function benchConsolePaint() {
  const app = tempApp();
  const dev = await startProcess([BIN, "dev", "--port", "0", "--idp", "remote"], app.root, /Console: (http:\S+)/);
  const browser = await launchChromium();
  const paints: number[] = [];
  try {
    for (let run = 0; run < 5; run++) {
      // A fresh context each time: nothing cached, as a first visit.
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(dev.url, { waitUntil: "load" });
      const paint = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const seen = performance.getEntriesByName("first-contentful-paint")[0];
            if (seen) resolve(seen.startTime);
            else new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime)).observe({ type: "paint", buffered: true });
          }),
      );
      paints.push(paint);
      await context.close();
    }
  } finally {
    await browser.close();
    await dev.stop();
    app.remove();
  }
  return { name: "dev console, first contentful paint in headless Chromium (target < 300 ms)", medianMs: Math.round(median(paints)), runs: paints.map(Math.round) };
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

// Handlers that misbehave as a user's code can; each answers normally never.
const FAULTY: Record<string, string> = {
  loop: `export function main() { for (;;) {} }`,
  hang: `export const main = () => new Promise(() => {});`,
  exit: `export const main = async () => { process.exit(1); };`,
  uncaught: `export const main = () => new Promise(() => setTimeout(() => { throw new Error("uncaught"); }, 1));`,
  hungry: `const hoard = []; export const main = async () => { for (;;) hoard.push(new Array(100_000).fill(hoard.length)); };`,
  throw: `export const main = async () => { throw new Error("always"); };`,
};

// BENCH_FAULTY=loop,hungry narrows the "six faulty routes" load, to find which one costs the most.
const FAULTY_ROUTES = (process.env.BENCH_FAULTY ?? Object.keys(FAULTY).join(",")).split(",");

/** Keeps `connections` clients on each of `paths` for one round; resolves when the round ends. */
function faultyLoad(base: string, paths: string[], connections: number): Promise<unknown> {
  return Promise.all(paths.map((path) => autocannon({ url: `${base}${path}`, connections, duration: SECONDS, timeout: 40 })));
}

async function benchFairness() {
  const app = tempApp();
  const routes = Object.keys(FAULTY)
    .map((name) => `        "GET /${name}": { function: { handler: "src/faulty/${name}.main", timeout: 3, memorySize: 128 }, authorizationType: sst.ApiAuthorizationType.NONE },`)
    .join("\n");
  for (const [name, source] of Object.entries(FAULTY)) app.write(`src/faulty/${name}.js`, `${source}\n`);
  const stack = readFileSync(`${app.root}/stacks/MyStack.js`, "utf8").replace(`      routes: {\n`, `      routes: {\n${routes}\n`);
  app.write("stacks/MyStack.js", stack);
  const dev = await startProcess([BIN, "dev", "--port", "0", "--idp", "remote"], app.root, /ApiEndpoint: (http:\S+)/);
  const alone: LoadResult[] = [];
  const besideLoop: LoadResult[] = [];
  const besideSix: LoadResult[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      alone.push(await load(`${dev.url}/public`));
      besideLoop.push((await Promise.all([load(`${dev.url}/public`), faultyLoad(dev.url, ["/loop"], 10)]))[0]);
      besideSix.push((await Promise.all([load(`${dev.url}/public`), faultyLoad(dev.url, FAULTY_ROUTES.map((name) => `/${name}`), 4)]))[0]);
    }
  } finally {
    await dev.stop();
    app.remove();
  }
  const ratio = (series: LoadResult[]) => median(series.map((r, round) => r.rps / alone[round].rps));
  const rounds = (series: LoadResult[]) => series.map((r, round) => Math.round((r.rps / alone[round].rps) * 1000) / 1000);
  return {
    name: "GET /public at 50 connections beside faulty routes, as a ratio to /public alone (targets: >= 0.5 and >= 0.25)",
    aloneRps: median(alone.map((r) => r.rps)),
    besideOneLoop: { ratio: ratio(besideLoop), roundRatios: rounds(besideLoop), p99: median(besideLoop.map((r) => r.p99)) },
    besideSixFaulty: { ratio: ratio(besideSix), roundRatios: rounds(besideSix), p99: median(besideSix.map((r) => r.p99)) },
  };
}

const only = process.argv[2];
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, secondsPerRound: SECONDS };
if (!only || only === "gateway") results.gateway = await benchGateway();
if (!only || only === "authorizer") results.authorizer = await benchAuthorizer();
if (!only || only === "console") results.console = await benchConsole();
if (!only || only === "cold-start") results.coldStart = [await benchColdStart("remote"), await benchColdStart("embedded")];
if (!only || only === "cold-start") results.tableColdStart = await benchTableColdStart();
if (!only || only === "reload") results.saveToServed = await benchSaveToServed();
if (!only || only === "console-paint") results.consolePaint = await benchConsolePaint();
if (!only || only === "fairness") results.fairness = await benchFairness();
console.log(JSON.stringify(results, null, 2));
mkdirSync(new URL("./results", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/latest.json", import.meta.url), JSON.stringify(results, null, 2));
