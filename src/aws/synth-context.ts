import type { Stack } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import type { Function as LambdaFunction } from "aws-cdk-lib/aws-lambda";
import { GatehouseError } from "../errors.js";
import type { Manifest } from "../manifest/manifest.js";
import { hasTokens, resolveTokens } from "../manifest/tokens.js";
import type { CdkModules } from "./cdk-modules.js";

/**
 * What the section mappers share while one manifest becomes one CDK app: the loaded CDK, the stacks, and
 * the constructs already made (so a route finds its function and an output finds its Api's endpoint).
 */
export class SynthContext {
  readonly stacks = new Map<string, Stack>();
  readonly functions = new Map<string, LambdaFunction>();
  readonly apis = new Map<string, HttpApi>();
  /** Said once each, after synth (e.g. a runtime raised to one AWS still accepts). */
  readonly notices: string[] = [];

  constructor(
    readonly cdk: CdkModules,
    readonly manifest: Manifest,
  ) {}

  stack(stackId: string): Stack {
    const stack = this.stacks.get(stackId);
    if (!stack) throw new Error(`internal: no stack "${stackId}" in the manifest`);
    return stack;
  }

  notice(text: string): void {
    if (!this.notices.includes(text)) this.notices.push(text);
  }

  /**
   * A manifest value with Gatehouse tokens (an Api's url) replaced by the CDK's tokens for the same thing,
   * which CloudFormation resolves at deploy. A token with no AWS value here stops synth, naming `what`.
   */
  resolve(text: string, what: string): string {
    const apiUrls = Object.fromEntries([...this.apis].map(([id, api]) => [id, api.apiEndpoint]));
    const resolved = resolveTokens(text, { apiUrls, authIssuers: {} });
    if (hasTokens(resolved)) {
      throw new GatehouseError(
        "GH_ERR_AWS_UNSUPPORTED",
        `${what} is ${JSON.stringify(text)}, a value only Gatehouse's local backends can fill in; it has no AWS form. Fix: pass a value that exists on AWS (e.g. an Api's url, a literal).`,
      );
    }
    return resolved;
  }
}
