/**
 * What the stacks bundle gets for every SST and CDK package it imports (docs/sst-apps.md, "CDK code in stacks"):
 * `@serverless-stack/resources`, `constructs`, CDK v1's `@aws-cdk/core` and `@aws-cdk/aws-*`, and v2's
 * `aws-cdk-lib` and `aws-cdk-lib/aws-*`. Real aws-cdk-lib is never loaded (it would cost seconds at every start).
 *
 * A module here answers any export name: what Gatehouse implements (SST constructs, CDK core helpers, IAM
 * statements, Lambda runtimes) by its real class; anything else by a recorded class (recorded-construct.ts).
 * Bundled stacks reach names through esbuild's CommonJS interop, which copies a module's own properties and keeps
 * its prototype, so the module object is a plain object of the known names whose prototype answers the rest.
 */
import { CDK_MODULES_GLOBAL } from "../../build/sst-aliases.js";
import * as sstConstructs from "../constructs/index.js";
import { Construct } from "../constructs/construct-node.js";
import { constructKindByExport } from "../constructs/registry.js";
import { Effect, PolicyStatement } from "./aws-iam.js";
import { Architecture, Runtime, Tracing } from "./aws-lambda.js";
import { Aws, CfnOutput, Fn, Lazy, Tag, Tags, Token } from "./cdk-core.js";
import { recordedClass } from "./recorded-construct.js";

const CORE: Record<string, unknown> = {
  App: sstConstructs.App,
  Stack: sstConstructs.Stack,
  Construct,
  Duration: sstConstructs.Duration,
  RemovalPolicy: sstConstructs.RemovalPolicy,
  CfnOutput,
  Tags,
  Tag,
  Aws,
  Fn,
  Token,
  Lazy,
};

/** Names each service module implements, keyed by service (`iam` for `@aws-cdk/aws-iam` and `aws-cdk-lib/aws-iam`). */
const SERVICES: Record<string, Record<string, unknown>> = {
  cdk: CORE,
  constructs: { Construct },
  iam: { PolicyStatement, Effect },
  lambda: { Runtime, Tracing, Architecture },
  apigatewayv2: {
    CorsHttpMethod: sstConstructs.CorsHttpMethod,
    HttpMethod: { ANY: "ANY", GET: "GET", POST: "POST", PUT: "PUT", PATCH: "PATCH", DELETE: "DELETE", HEAD: "HEAD", OPTIONS: "OPTIONS" },
    PayloadFormatVersion: { VERSION_1_0: { version: "1.0" }, VERSION_2_0: { version: "2.0" } },
  },
};

const modules = new Map<string, object>();

/** The service a package stands for: `sst`, `cdk`, `constructs`, or `cognito` for `@aws-cdk/aws-cognito`. */
export function serviceOf(packageName: string): string {
  if (packageName === "@serverless-stack/resources") return "sst";
  if (packageName === "@aws-cdk/core" || packageName === "aws-cdk-lib") return "cdk";
  if (packageName === "constructs") return "constructs";
  const name = packageName.replace(/^@aws-cdk\//, "").replace(/^aws-cdk-lib\//, "");
  return name.replace(/^aws-/, "").replace(/-alpha$/, "");
}

/**
 * Where aws-cdk-lib (v2) keeps what `packageName` exported: CDK v1's `@aws-cdk/core` is `aws-cdk-lib` and
 * `@aws-cdk/aws-x` is `aws-cdk-lib/aws-x`; v2's alpha modules keep their own package (they are installed
 * apart, if at all), except the HTTP API ones, which aws-cdk-lib took in as `aws-apigatewayv2*`.
 */
export function cdkLibModuleOf(packageName: string): string {
  if (packageName === "@aws-cdk/core" || packageName === "aws-cdk-lib") return "aws-cdk-lib";
  if (packageName === "constructs" || packageName.startsWith("aws-cdk-lib/")) return packageName;
  const name = packageName.replace(/^@aws-cdk\//, "");
  if (/^aws-apigatewayv2(-[a-z]+)?-alpha$/.test(name)) return `aws-cdk-lib/${name.replace(/-alpha$/, "")}`;
  if (name.endsWith("-alpha")) return packageName;
  return `aws-cdk-lib/${name}`;
}

/**
 * The module object for `packageName`. `withSstExports`: the package's names include Gatehouse's constructs
 * index (SST itself, and the CDK packages listed in build/sst-aliases.ts, whose additions other constructs make).
 */
export function cdkModule(packageName: string, withSstExports: boolean): object {
  const cached = modules.get(packageName);
  if (cached) return cached;
  const service = serviceOf(packageName);
  const known: Record<string, unknown> = { ...(SERVICES[service] ?? {}) };
  if (withSstExports) {
    for (const [name, value] of Object.entries(sstConstructs)) if (!(name in known)) known[name] = value;
  }
  const answered = new Map<string, unknown>();
  const answer = (name: string): unknown => {
    if (answered.has(name)) return answered.get(name);
    let value: unknown;
    if (service === "cdk" && /^aws_[a-z0-9_]+$/.test(name)) {
      // aws-cdk-lib's namespaces: `import { aws_iam as iam } from "aws-cdk-lib"`.
      value = cdkModule(`aws-cdk-lib/${name.replace(/_/g, "-")}`, false);
    } else if (service === "sst" && constructKindByExport(name)) {
      value = constructKindByExport(name)!.construct;
    } else if (name === "default" || name === "__esModule") {
      value = undefined;
    } else {
      value = recordedClass(`${service}.${name}`, service === "sst" ? undefined : { module: cdkLibModuleOf(packageName), name });
    }
    answered.set(name, value);
    return value;
  };
  const rest = new Proxy(Object.create(null) as object, {
    get: (_target, prop) => (typeof prop === "string" ? answer(prop) : undefined),
  });
  const module = Object.setPrototypeOf({ ...known }, rest) as object;
  modules.set(packageName, module);
  return module;
}

/** Makes `cdkModule` reachable from stacks bundles, whose SST and CDK imports call it (build/sst-aliases.ts). */
export function provideCdkModules(): void {
  (globalThis as Record<symbol, unknown>)[CDK_MODULES_GLOBAL] = cdkModule;
}
