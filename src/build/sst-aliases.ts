import type { Plugin } from "esbuild";

/**
 * Packages whose exports include Gatehouse's SST constructs index (so additions there, such as an authorizer
 * class, are importable from them). Every other SST and CDK package resolves too; see `isShimmedPackage`.
 */
export const SST_ALIASED_PACKAGES = [
  "@serverless-stack/resources",
  "@aws-cdk/aws-apigatewayv2-authorizers-alpha",
  "@aws-cdk/aws-apigatewayv2-authorizers",
  "@aws-cdk/aws-apigatewayv2-alpha",
  "@aws-cdk/aws-apigatewayv2",
  "aws-cdk-lib/aws-apigatewayv2-authorizers",
  "aws-cdk-lib/aws-apigatewayv2",
  "aws-cdk-lib/aws-iam",
  "@aws-cdk/aws-iam",
  "aws-cdk-lib",
  "@aws-cdk/core",
];

/** SST, `constructs`, and CDK v1 (`@aws-cdk/*`) and v2 (`aws-cdk-lib`, `aws-cdk-lib/*`) package names. */
const SHIMMED = /^(@serverless-stack\/resources|constructs|@aws-cdk\/[a-z0-9-]+|aws-cdk-lib(\/[a-z0-9-]+)?)$/;

/** True for an import the stacks bundle takes from Gatehouse instead of node_modules (docs/sst-apps.md). */
export function isShimmedPackage(name: string): boolean {
  return SHIMMED.test(name) || SST_ALIASED_PACKAGES.includes(name);
}

const NAMESPACE = "gatehouse-cdk";

/**
 * The global through which a stacks bundle reaches the running Gatehouse's `cdkModule` (app/cdk/cdk-modules.ts).
 * The constructs are not bundled into the stacks: they are already loaded in this process, and bundling them
 * (with zod and its locales) made a 3 MB file to build, parse and source-map at every start and stack edit.
 */
export const CDK_MODULES_GLOBAL = Symbol.for("gatehouse.cdkModule");

/**
 * Resolves SST and CDK imports, whether or not those packages are installed, to small CommonJS modules that
 * hand out app/cdk/cdk-modules.ts's module objects (CommonJS, so any imported name is looked up when used).
 */
export function sstAliasPlugin(): Plugin {
  const lookup = `globalThis[Symbol.for(${JSON.stringify(CDK_MODULES_GLOBAL.description)})]`;
  return {
    name: "gatehouse-sst-aliases",
    setup(build) {
      build.onResolve({ filter: /^(@serverless-stack|@aws-cdk|aws-cdk-lib|constructs)/ }, (args) =>
        isShimmedPackage(args.path) ? { path: args.path, namespace: NAMESPACE } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `module.exports = ${lookup}(${JSON.stringify(args.path)}, ${SST_ALIASED_PACKAGES.includes(args.path)});\n`,
        loader: "js",
        resolveDir: process.cwd(),
      }));
    },
  };
}
