import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Manifest } from "../manifest/manifest.js";

/** Where `@serverless-stack/static-site-env` (`sst-env -- <command>`) reads each site's variables. */
export const SITE_ENV_FILE = join(".build", "static-site-environment-output-values.json");

/**
 * Writes, as `sst start` does, every static site's `environment` with values resolved (`REACT_APP_API_URL` → the
 * local Api URL), so a front-end dev server started through `sst-env` talks to `gatehouse dev`
 * (docs/sst-apps.md, "Buckets and static sites"). Entries are `{ path, stack, environmentOutputs }`.
 */
export function writeStaticSiteEnvironment(root: string, manifest: Manifest, resolve: (text: string) => string): void {
  const sites = manifest.staticSites.filter((site) => Object.keys(site.environment).length > 0);
  if (sites.length === 0) return;
  const stackNames = new Map(manifest.stacks.map((stack) => [stack.id, stack.name]));
  const entries = sites.map((site) => ({
    path: site.path,
    stack: stackNames.get(site.stackId) ?? site.stackId,
    environmentOutputs: Object.fromEntries(Object.entries(site.environment).map(([key, value]) => [key, resolve(value)])),
  }));
  mkdirSync(join(root, ".build"), { recursive: true });
  writeFileSync(join(root, SITE_ENV_FILE), `${JSON.stringify(entries, null, 2)}\n`);
}
