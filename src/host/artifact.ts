import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Manifest } from "../manifest/manifest.js";
import { parseManifest } from "../manifest/parse-manifest.js";
import { type FunctionBuild, FunctionBundler } from "../build/function-bundler.js";
import { makePrivateDir, makeTreePrivate, writePrivateFile } from "../private-files.js";

/** What an artifact directory holds, besides the bundles themselves. */
interface ArtifactMeta {
  hash: string;
  manifest: Manifest;
  /** Function id → bundle version. */
  versions: Record<string, string>;
}

export interface BuiltArtifact {
  hash: string;
  dir: string;
}

/**
 * Builds production bundles (minified, source maps) for `manifest` and stores them with the manifest as an
 * immutable artifact named by its content hash. Written to a temporary folder and renamed into place, so a
 * crash never leaves a half-written artifact under a real name.
 */
export async function buildArtifact(manifest: Manifest, stageArtifacts: string): Promise<BuiltArtifact> {
  makePrivateDir(stageArtifacts);
  const staging = join(stageArtifacts, `.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  const bundler = new FunctionBundler({ root: manifest.app.root, outDir: join(staging, "functions"), production: true });
  try {
    const build = await bundler.build(Object.values(manifest.functions));
    const versions = Object.fromEntries(Object.values(build.functions).map((fn) => [fn.id, fn.version]));
    const hash = createHash("sha256").update(JSON.stringify({ manifest, versions })).digest("hex").slice(0, 16);
    const meta: ArtifactMeta = { hash, manifest, versions };
    writePrivateFile(join(staging, "artifact.json"), JSON.stringify(meta, null, 2));
    // Bundles carry the app's code and whatever it inlines: for the owner only, like the rest of the home.
    makeTreePrivate(staging);
    const dir = join(stageArtifacts, hash);
    if (existsSync(dir)) {
      rmSync(staging, { recursive: true, force: true });
    } else {
      renameSync(staging, dir);
    }
    return { hash, dir };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  } finally {
    await bundler.dispose();
  }
}

/** The manifest and built functions of a stored artifact, ready to serve. */
export function readArtifact(dir: string): { manifest: Manifest; build: FunctionBuild; hash: string } {
  const file = join(dir, "artifact.json");
  const meta = JSON.parse(readFileSync(file, "utf8")) as ArtifactMeta;
  const manifest = parseManifest(meta.manifest, file);
  const functions = Object.fromEntries(
    Object.entries(meta.versions).map(([id, version]) => [id, { id, version, bundlePath: join(dir, "functions", `${id}.mjs`) }]),
  );
  return { manifest, build: { functions, changed: Object.keys(functions), inputs: [] }, hash: meta.hash };
}
