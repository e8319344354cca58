/**
 * Every app in test/apps/ starts under `gatehouse dev` (in process, port 0) and has every route requested.
 * Adding an app needs no code here: a folder with sst.json is an app, and its optional expect.json says what to
 * request and what to expect (see test/apps/README.md). Routes that the expectations do not cover are requested
 * anyway and must not fail (status below 500), except routes listed in `skip`: those depend on a resource the
 * app reports as not emulated, and must be exactly the routes whose functions read such a resource.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { type DevSession, startDev } from "../../src/dev/dev-session.js";
import { memoryLogger } from "../../src/log.js";
import type { Manifest, RouteManifest } from "../../src/manifest/manifest.js";

const APPS = new URL("../apps/", import.meta.url).pathname;
const REPO_NODE_MODULES = new URL("../../node_modules", import.meta.url).pathname;

interface RouteExpectation {
  method: string;
  path: string;
  /** Request body and headers. */
  body?: string;
  requestHeaders?: Record<string, string>;
  status: number;
  /** Response headers that must have exactly these values. */
  responseHeaders?: Record<string, string>;
  /** The exact response body. */
  bodyEquals?: string;
  bodyIncludes?: string;
}

interface Expectations {
  about?: string;
  /** Symlink the repository's node_modules into the app copy (apps with external modules). */
  linkNodeModules?: boolean;
  routes?: RouteExpectation[];
  /** Route keys that depend on a resource reported as not emulated; they are not requested. */
  skip?: string[];
  /** `kind id` of each construct the app must report as not emulated, once. */
  unemulated?: string[];
  /** Text each of which must appear in a notice. */
  notices?: string[];
  /** Output name → text its value must contain (outputs of all stacks). */
  outputs?: Record<string, string>;
  events?: Array<
    | { publish: string; message: string; payloadsInclude: string[] }
    | { send: string; body: string; payloadIncludes: string }
    | { cron: string; payloadIncludes: string }
  >;
  /** Cron construct id → schedule expression in the manifest. */
  crons?: Record<string, string>;
  sites?: Array<{ site: string; path: string; status: number; bodyIncludes?: string }>;
  /** Site path → variable → text its value must contain, in the file `sst-env` reads. */
  siteEnvironment?: Record<string, Record<string, string>>;
}

const apps = readdirSync(APPS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(APPS, entry.name, "sst.json")))
  .map((entry) => entry.name)
  .sort();

const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups) cleanup();
});

test("the corpus holds at least 12 apps", () => {
  assert.ok(apps.length >= 12, `only ${apps.length} apps in test/apps`);
});

describe("apps in test/apps run under gatehouse dev", () => {
  for (const name of apps) {
    test(name, async () => {
      const expectPath = join(APPS, name, "expect.json");
      const expectations: Expectations = existsSync(expectPath) ? JSON.parse(readFileSync(expectPath, "utf8")) : {};
      const root = copyApp(name, expectations.linkNodeModules === true);
      const logger = memoryLogger();
      let session: DevSession | undefined;
      try {
        session = await startDev({ cwd: root, port: 0, idpPort: 0, watch: false, logger });
        await checkApp(session, expectations, logger.lines);
        checkSiteEnvironment(root, expectations);
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}\n--- dev output ---\n${logger.lines.join("\n")}`, { cause: err });
      } finally {
        await session?.close();
      }
    });
  }
});

function copyApp(name: string, linkNodeModules: boolean): string {
  const root = mkdtempSync(join(tmpdir(), `gatehouse-${name}-`));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(APPS, name), root, { recursive: true, filter: (src) => !src.includes(".gatehouse") && !src.includes("node_modules") });
  if (linkNodeModules) symlinkSync(REPO_NODE_MODULES, join(root, "node_modules"), "dir");
  return root;
}

async function checkApp(session: DevSession, expectations: Expectations, lines: string[]): Promise<void> {
  const manifest = session.manifest();
  const skip = new Set(expectations.skip ?? []);
  const covered = new Set<string>();
  for (const api of manifest.apis) {
    const base = session.endpoints()[api.id];
    assert.ok(base, `Api ${api.id} has no endpoint`);
    for (const expected of expectations.routes ?? []) {
      const route = matchRoute(api.routes, expected.method, expected.path);
      if (!route) continue;
      assert.ok(!skip.has(route.key), `${expected.method} ${expected.path} matches the skipped route ${route.key}`);
      covered.add(route.key);
      const response = await fetch(`${base}${expected.path}`, { method: expected.method, body: expected.body, headers: expected.requestHeaders });
      const text = await response.text();
      const label = `${expected.method} ${expected.path}`;
      assert.equal(response.status, expected.status, `${label}: status ${response.status}, body ${text}`);
      if (expected.bodyEquals !== undefined) assert.equal(text, expected.bodyEquals, label);
      for (const [header, value] of Object.entries(expected.responseHeaders ?? {})) {
        assert.equal(response.headers.get(header), value, `${label}: header ${header}`);
      }
      if (expected.bodyIncludes !== undefined) assert.ok(text.includes(expected.bodyIncludes), `${label}: ${JSON.stringify(expected.bodyIncludes)} not in ${text}`);
    }
    for (const route of api.routes) {
      if (covered.has(route.key) || skip.has(route.key)) continue;
      const method = route.method === null || route.method === "ANY" ? "GET" : route.method;
      const path = route.path === null ? "/gatehouse-default-route-check" : samplePath(route.path);
      const response = await fetch(`${base}${path}`, { method });
      const text = await response.text();
      assert.ok(response.status < 500, `${route.key} (requested as ${method} ${path}) answered ${response.status}: ${text}`);
    }
  }
  for (const key of skip) {
    assert.ok(
      manifest.apis.some((api) => api.routes.some((route) => route.key === key && readsUnemulated(manifest, route))),
      `skipped route ${key} does not read any construct reported as not emulated`,
    );
  }
  checkReports(manifest, expectations, lines);
  checkOutputs(session, expectations);
  await checkEvents(session, manifest, expectations);
  await checkSites(session, expectations);
}

/** True when the route's function gets a value read off an unemulated construct (its token) in its environment. */
function readsUnemulated(manifest: Manifest, route: RouteManifest): boolean {
  const fn = manifest.functions[route.functionId];
  return Object.values(fn.environment).some((value) => value.includes("Gatehouse.Unemulated."));
}

function checkReports(manifest: Manifest, expectations: Expectations, lines: string[]): void {
  const reported = manifest.unemulated.map((entry) => `${entry.kind} ${entry.id}`);
  assert.deepEqual([...reported].sort(), [...(expectations.unemulated ?? [])].sort(), "constructs reported as not emulated");
  for (const entry of manifest.unemulated) {
    const notice = `${entry.kind} "${entry.id}" is not emulated locally; routes that need it will fail at call time`;
    const printed = lines.filter((line) => line.includes(notice));
    assert.equal(printed.length, 1, `notice printed ${printed.length} times: ${notice}`);
    assert.match(printed[0], /: [a-z]+\/[\w.]+\.(js|ts):\d+: /, `the notice names file:line: ${printed[0]}`);
  }
  for (const text of expectations.notices ?? []) {
    assert.ok(manifest.notices.some((notice) => notice.includes(text)), `a notice containing ${JSON.stringify(text)} in ${JSON.stringify(manifest.notices)}`);
  }
}

function checkOutputs(session: DevSession, expectations: Expectations): void {
  const outputs = Object.assign({}, ...Object.values(session.outputs())) as Record<string, string>;
  for (const [key, text] of Object.entries(expectations.outputs ?? {})) {
    assert.ok(outputs[key]?.includes(text), `output ${key} = ${JSON.stringify(outputs[key])} should contain ${JSON.stringify(text)}`);
  }
}

async function checkEvents(session: DevSession, manifest: Manifest, expectations: Expectations): Promise<void> {
  for (const [cronId, schedule] of Object.entries(expectations.crons ?? {})) {
    assert.equal(manifest.crons.find((cron) => cron.constructId === cronId)?.schedule, schedule, `schedule of Cron ${cronId}`);
  }
  for (const event of expectations.events ?? []) {
    if ("publish" in event) {
      const outcomes = await session.events.publish(event.publish, event.message);
      const payloads = outcomes.map((outcome) => (outcome.ok ? outcome.payload : `${outcome.kind}: ${outcome.message}`));
      for (const text of event.payloadsInclude) {
        assert.ok(payloads.some((payload) => payload.includes(text)), `publish to ${event.publish}: no subscriber answered ${text} (answers: ${payloads.join(" | ")})`);
      }
    } else if ("send" in event) {
      const outcome = await session.events.sendMessage(event.send, event.body);
      assert.ok(outcome?.ok && outcome.payload.includes(event.payloadIncludes), `message to ${event.send}: ${JSON.stringify(outcome)}`);
    } else {
      const outcome = await session.events.runCron(event.cron);
      assert.ok(outcome.ok && outcome.payload.includes(event.payloadIncludes), `cron ${event.cron}: ${JSON.stringify(outcome)}`);
    }
  }
}

async function checkSites(session: DevSession, expectations: Expectations): Promise<void> {
  const sites = session.sites();
  for (const expected of expectations.sites ?? []) {
    const url = Object.entries(sites).find(([id]) => id.endsWith(`/${expected.site}`))?.[1];
    assert.ok(url, `site ${expected.site} is not served (served: ${JSON.stringify(sites)})`);
    const response = await fetch(`${url}${expected.path}`);
    const text = await response.text();
    assert.equal(response.status, expected.status, `site ${expected.site} ${expected.path}`);
    if (expected.bodyIncludes) assert.ok(text.includes(expected.bodyIncludes), `site ${expected.site} ${expected.path}: ${text}`);
  }
}

function checkSiteEnvironment(root: string, expectations: Expectations): void {
  if (!expectations.siteEnvironment) return;
  const entries = JSON.parse(readFileSync(join(root, ".build/static-site-environment-output-values.json"), "utf8")) as Array<{ path: string; stack: string; environmentOutputs: Record<string, string> }>;
  for (const [path, variables] of Object.entries(expectations.siteEnvironment)) {
    const entry = entries.find((candidate) => candidate.path === path);
    assert.ok(entry, `no sst-env entry for ${path}`);
    for (const [key, text] of Object.entries(variables)) {
      assert.ok(entry.environmentOutputs[key]?.includes(text), `sst-env ${path} ${key} = ${entry.environmentOutputs[key]}`);
    }
  }
}

/** The route a request would reach, by API Gateway's rules in short: literal and variable segments, greedy last. */
function matchRoute(routes: RouteManifest[], method: string, path: string): RouteManifest | undefined {
  const candidates = routes.filter((route) => route.path !== null && (route.method === method || route.method === "ANY"));
  const exact = candidates.find((route) => pathPattern(route.path!).test(path) && !route.path!.includes("{"));
  return exact ?? candidates.find((route) => pathPattern(route.path!).test(path)) ?? routes.find((route) => route.key === "$default");
}

function pathPattern(routePath: string): RegExp {
  const source = routePath
    .split("/")
    .map((segment) => (/^\{.+\+\}$/.test(segment) ? ".+" : /^\{.+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}$`);
}

function samplePath(routePath: string): string {
  return routePath.replace(/\{[^}]+\+\}/g, "sample/path").replace(/\{[^}]+\}/g, "sample");
}
