import { join } from "node:path";
import type { AppConfig } from "../app/load-config.js";
import { stageStateDir } from "../app/stage-paths.js";
import { synthApp } from "../app/synth-app.js";
import type { DeployOutcome, DeployTarget, ListedStage, ListOutcome, RemoveOutcome, TargetIo } from "../deploy/deploy-target.js";
import { GatehouseError, isGatehouseError } from "../errors.js";
import type { Manifest } from "../manifest/manifest.js";
import { asAwsError, checkAwsAccess } from "./aws-access.js";
import { findCredentialSource, requireCredentials } from "./credential-sources.js";
import { ProgressIoHost } from "./progress-io-host.js";
import { synthAssembly } from "./synth-assembly.js";

/**
 * AWS as a deploy target (docs/aws-target.md): the stage's CDK cloud assembly, deployed and destroyed
 * through the CDK toolkit library with CloudFormation events as progress. Every command first checks,
 * locally, that credentials exist and then, with one bounded call, that AWS answers and accepts them.
 */
export class AwsTarget implements DeployTarget {
  readonly name = "aws" as const;
  private credentialSource = "";

  async checkAccess(config: AppConfig): Promise<void> {
    this.credentialSource = requireCredentials();
    await checkAwsAccess(config.region, this.credentialSource);
  }

  async deploy(_config: AppConfig, synthesize: () => Promise<Manifest>, io: TargetIo): Promise<DeployOutcome> {
    const manifest = await synthesize();
    const stateDir = stageStateDir({ root: manifest.app.root, stage: manifest.app.stage });
    io.progress(`Synthesizing ${manifest.stacks.length} stack(s) for AWS (${manifest.app.region})`);
    const assembly = await synthAssembly(manifest, { outDir: join(stateDir, "cdk.out"), bundleDir: join(stateDir, "aws-bundles") });
    for (const notice of assembly.notices) io.progress(`Notice: ${notice}`);
    const { Toolkit, StackSelectionStrategy } = await import("@aws-cdk/toolkit-lib");
    const toolkit = new Toolkit({ ioHost: new ProgressIoHost(io.progress), color: false, emojis: false });
    for (const stack of assembly.stacks) io.progress(`${stack.name}: deploying...`);
    const result = await this.run(async () => {
      const cx = await toolkit.fromAssemblyDirectory(assembly.dir);
      return toolkit.deploy(cx, { stacks: { strategy: StackSelectionStrategy.ALL_STACKS } });
    });
    const outputs = orderedOutputs(manifest, result.stacks);
    return { summary: `Deployed to AWS (${manifest.app.region}).`, outputs };
  }

  async remove(config: AppConfig, io: TargetIo): Promise<RemoveOutcome> {
    // Only the stack names are needed to destroy: no bundles, no resources.
    const { manifest } = await synthApp(config);
    const stateDir = stageStateDir(config);
    const assembly = await synthAssembly(manifest, { outDir: join(stateDir, "cdk.out-remove"), bundleDir: join(stateDir, "aws-bundles"), skeleton: true });
    const { Toolkit, StackSelectionStrategy } = await import("@aws-cdk/toolkit-lib");
    const toolkit = new Toolkit({ ioHost: new ProgressIoHost(io.progress), color: false, emojis: false });
    for (const stack of assembly.stacks) io.progress(`${stack.name}: removing...`);
    const result = await this.run(async () => {
      const cx = await toolkit.fromAssemblyDirectory(assembly.dir);
      return toolkit.destroy(cx, { stacks: { strategy: StackSelectionStrategy.ALL_STACKS } });
    });
    const existed = result.stacks.filter((stack) => stack.stackExisted).map((stack) => stack.stackName);
    if (existed.length === 0) {
      throw new GatehouseError("GH_ERR_STAGE_NOT_FOUND", `Nothing of ${config.name} is deployed on AWS for stage "${config.stage}" in ${config.region}. Fix: check --stage and the region (\`gatehouse list\` shows deployed stages).`);
    }
    return { app: config.name, stage: config.stage, stackNames: existed };
  }

  async list(): Promise<ListOutcome> {
    const source = findCredentialSource();
    if (!source) return { stages: [], notes: ["AWS: no credentials (env, ~/.aws/credentials, ~/.aws/config/SSO), so AWS stages are not listed."] };
    const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1";
    try {
      await checkAwsAccess(region, source);
      return { stages: await listAwsStages(region), notes: [] };
    } catch (err) {
      if (!isGatehouseError(err)) throw err;
      return { stages: [], notes: [`AWS (${region}): not listed: [${err.code}] ${err.message}`] };
    }
  }

  /** Runs a toolkit action, turning its failures into coded errors. */
  private async run<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      throw asToolkitError(err, this.credentialSource);
    }
  }
}

/**
 * Each stack's deployed outputs keyed and ordered as the stack declared them: CloudFormation lists outputs
 * in no particular order, under logical ids (the key without non-alphanumerics).
 */
export function orderedOutputs(manifest: Manifest, deployed: Array<{ stackName: string; outputs: Record<string, string> }>): Record<string, Record<string, string>> {
  const outputs: Record<string, Record<string, string>> = {};
  for (const stack of manifest.stacks) {
    const values = deployed.find((candidate) => candidate.stackName === stack.name)?.outputs ?? {};
    const ordered: Record<string, string> = {};
    for (const key of Object.keys(stack.outputs)) {
      const logicalId = key.replace(/[^A-Za-z0-9]/g, "");
      if (values[logicalId] !== undefined) ordered[key] = values[logicalId];
    }
    outputs[stack.name] = ordered;
  }
  return outputs;
}

function asToolkitError(err: unknown, credentialSource: string): GatehouseError {
  if (isGatehouseError(err)) return err;
  const message = (err as Error)?.message ?? String(err);
  if (/AccessDenied/.test(message)) {
    return new GatehouseError(
      "GH_ERR_AWS_DEPLOY_FAILED",
      `AWS denied an action the deployment needs (${message.split("\n")[0]}). Fix: use credentials allowed to use the CDK's bootstrap roles (or an administrator's), and bootstrap the account and region once if that was never done: \`npx cdk bootstrap aws://<account>/<region>\`.`,
    );
  }
  if (/bootstrap/i.test(message)) {
    return new GatehouseError(
      "GH_ERR_AWS_DEPLOY_FAILED",
      `The AWS account and region are not bootstrapped for the CDK (${message.split("\n")[0]}). Fix: run \`npx cdk bootstrap aws://<account>/<region>\` once, then deploy again.`,
    );
  }
  const mapped = asAwsError(err, process.env.AWS_ENDPOINT_URL || "AWS", credentialSource);
  if (mapped.code !== "GH_ERR_AWS_DEPLOY_FAILED") return mapped;
  return new GatehouseError("GH_ERR_AWS_DEPLOY_FAILED", `AWS CloudFormation failed: ${message.split("\n").slice(0, 5).join(" ")}. Fix: see the stack's events above (or in the CloudFormation console).`);
}

/** Stacks tagged by Gatehouse (as SST tags them: `sst:app`, `sst:stage`), grouped into stages. */
async function listAwsStages(region: string): Promise<ListedStage[]> {
  const { CloudFormationClient, DescribeStacksCommand } = await import("@aws-sdk/client-cloudformation");
  const client = new CloudFormationClient({ region, maxAttempts: 2, requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true } });
  const stages = new Map<string, ListedStage>();
  try {
    let token: string | undefined;
    // Bounded: at most 20 pages of 100 stacks.
    for (let page = 0; page < 20; page++) {
      const answer = await client.send(new DescribeStacksCommand({ NextToken: token }));
      for (const stack of answer.Stacks ?? []) {
        const tag = (key: string) => stack.Tags?.find((candidate) => candidate.Key === key)?.Value;
        const app = tag("sst:app");
        const stage = tag("sst:stage");
        if (!app || !stage || !stack.Description?.includes("deployed by Gatehouse")) continue;
        const key = `${app}/${stage}`;
        const row = stages.get(key) ?? { target: "aws" as const, app, stage, version: "", endpoints: [], deployedAt: "", serving: "yes" };
        const status = stack.StackStatus ?? "";
        row.version = row.version ? `${row.version},${status}` : status;
        row.endpoints.push(...(stack.Outputs ?? []).filter((output) => output.OutputKey === "ApiEndpoint" && output.OutputValue).map((output) => output.OutputValue as string));
        const time = (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString() ?? "";
        if (time > row.deployedAt) row.deployedAt = time;
        if (/FAILED|ROLLBACK/.test(status)) row.serving = `no (${status})`;
        stages.set(key, row);
      }
      token = answer.NextToken;
      if (!token) break;
    }
  } catch (err) {
    throw asAwsError(err, process.env.AWS_ENDPOINT_URL_CLOUDFORMATION || process.env.AWS_ENDPOINT_URL || `CloudFormation in ${region}`, "the AWS credential chain");
  } finally {
    client.destroy();
  }
  return [...stages.values()];
}
