import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { synthStage } from "../../src/aws/synth-stage.js";
import type { Manifest } from "../../src/manifest/manifest.js";
import { tempApp } from "../support/temp-app.js";

export const TEMPLATES = new URL("../../templates", import.meta.url).pathname;

export interface SynthesizedApp {
  manifest: Manifest;
  assemblyDir: string;
  /** Template of the app's first stack, for aws-cdk-lib/assertions. */
  template: Template;
  json: Record<string, unknown>;
  stackName: string;
  /** What synth said once each (e.g. a runtime raised, a tag left out). */
  notices: string[];
}

/** Synthesizes the app in `root` for `stage` (in process) and reads back the first stack's template. */
export async function synthesize(root: string, stage = "prod", out?: string): Promise<SynthesizedApp> {
  const { manifest, assembly } = await synthStage({ cwd: root, stage, out });
  const json = JSON.parse(readFileSync(assembly.stacks[0].templateFile, "utf8")) as Record<string, unknown>;
  return { manifest, assemblyDir: assembly.dir, template: Template.fromJSON(json), json, stackName: assembly.stacks[0].name, notices: assembly.notices };
}

/** A throwaway copy of one of the `gatehouse create` templates. */
export function templateApp(template: string, language: string) {
  const app = tempApp({});
  cpSync(join(TEMPLATES, template, language), app.root, { recursive: true });
  return app;
}

/** The logical id of the one resource of `type` whose properties contain `match` (by JSON text). */
export function logicalIdOf(json: Record<string, unknown>, type: string, predicate: (properties: Record<string, unknown>) => boolean): string {
  const resources = json.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const found = Object.entries(resources).filter(([, resource]) => resource.Type === type && predicate(resource.Properties ?? {}));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0][0];
}

/** The code asset directory of a Lambda function in the assembly (S3Key `<hash>.zip` → `asset.<hash>`). */
export function assetDirOf(synth: SynthesizedApp, functionLogicalId: string): string {
  const resources = synth.json.Resources as Record<string, { Properties: { Code: { S3Key: string } } }>;
  const key = resources[functionLogicalId].Properties.Code.S3Key;
  return join(synth.assemblyDir, `asset.${key.replace(/\.zip$/, "")}`);
}
