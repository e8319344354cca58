import type { Stack } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import type { Rule } from "aws-cdk-lib/aws-events";
import type { Function as LambdaFunction } from "aws-cdk-lib/aws-lambda";
import type { Topic } from "aws-cdk-lib/aws-sns";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import { GatehouseError } from "../errors.js";
import type { Manifest } from "../manifest/manifest.js";
import { hasTokens, replaceUnemulatedTokens, resolveTokens } from "../manifest/tokens.js";
import { CdkCodeReplay } from "./cdk-code-replay.js";
import type { CdkModules } from "./cdk-modules.js";

/**
 * What the section mappers share while one manifest becomes one CDK app: the loaded CDK, the stacks, and
 * the constructs already made (so a route finds its function and an output finds its Api's endpoint).
 */
export class SynthContext {
  readonly stacks = new Map<string, Stack>();
  readonly functions = new Map<string, LambdaFunction>();
  readonly apis = new Map<string, HttpApi>();
  readonly tables = new Map<string, Table>();
  readonly topics = new Map<string, Topic>();
  readonly queues = new Map<string, Queue>();
  readonly rules = new Map<string, Rule>();
  /**
   * The local names of the app's resources (a table's `arn:aws:dynamodb:<region>:123456789012:table/<name>`, a
   * queue's URL) and the CDK tokens for the real ones, longest first, so a grant or an environment value that
   * names a resource of the app names the deployed resource on AWS (docs/aws-target.md, "Permissions").
   */
  private readonly localNames: Array<{ local: string; pattern: RegExp; real: string }> = [];
  /** Said once each, after synth (e.g. a runtime raised to one AWS still accepts). */
  readonly notices: string[] = [];
  /** The CDK code the stacks ran beside the SST constructs, run again here (docs/aws-target.md). */
  readonly cdkCode: CdkCodeReplay;

  constructor(
    readonly cdk: CdkModules,
    readonly manifest: Manifest,
  ) {
    this.cdkCode = new CdkCodeReplay(this);
  }

  stack(stackId: string): Stack {
    const stack = this.stacks.get(stackId);
    if (!stack) throw new Error(`internal: no stack "${stackId}" in the manifest`);
    return stack;
  }

  function(functionId: string): LambdaFunction {
    const fn = this.functions.get(functionId);
    if (!fn) throw new Error(`internal: no function "${functionId}" in the manifest`);
    return fn;
  }

  queue(queueId: string): Queue {
    const queue = this.queues.get(queueId);
    if (!queue) throw new Error(`internal: no queue "${queueId}" in the manifest`);
    return queue;
  }

  notice(text: string): void {
    if (!this.notices.includes(text)) this.notices.push(text);
  }

  /** Says that `local` (an ARN or URL as the local backends know it) stands for `real` (a CDK token) on AWS. */
  addLocalName(local: string, real: string): void {
    // A name followed by a name character is another resource (`table/notes` vs `table/notes-archive`).
    const pattern = new RegExp(`${local.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9_.-])`, "g");
    this.localNames.push({ local, pattern, real });
    this.localNames.sort((a, b) => b.local.length - a.local.length);
  }

  /**
   * A manifest value with Gatehouse tokens (an Api's url, a value read off the stacks' own CDK constructs) and
   * the local names of the app's tables, topics,
   * queues and rules replaced by the CDK's tokens for the same thing, which CloudFormation resolves at deploy.
   * A token with no AWS value here stops synth, naming `what`.
   */
  resolve(text: string, what: string): string {
    const apiUrls = Object.fromEntries([...this.apis].map(([id, api]) => [id, api.apiEndpoint]));
    let resolved = resolveTokens(text, { apiUrls, authIssuers: {} });
    // Values read off the stacks' own CDK constructs (`pool.userPoolId`) are those constructs' real attributes.
    resolved = replaceUnemulatedTokens(resolved, (path) => (this.cdkCode.knows(path) ? this.cdkCode.valueOf(path, what) : undefined));
    for (const { pattern, real } of this.localNames) resolved = resolved.replace(pattern, () => real);
    if (hasTokens(resolved)) {
      throw new GatehouseError(
        "GH_ERR_AWS_UNSUPPORTED",
        `${what} is ${JSON.stringify(text)}, a value only Gatehouse's local backends can fill in; it has no AWS form. Fix: pass a value that exists on AWS (e.g. an Api's url, a literal).`,
      );
    }
    return resolved;
  }
}
