import type { Plugin } from "esbuild";
import { siblingModule } from "../sibling-module.js";

/** Packages an SST v1 app imports in its stacks, all served by Gatehouse's constructs. */
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

/** Resolves SST and CDK imports to the constructs, whether or not those packages are installed. */
export function sstAliasPlugin(): Plugin {
  const constructs = siblingModule(import.meta.url, "../app/constructs/index");
  const filter = new RegExp(`^(${SST_ALIASED_PACKAGES.map((name) => name.replace(/[/.]/g, "\\$&")).join("|")})$`);
  return {
    name: "gatehouse-sst-aliases",
    setup(build) {
      build.onResolve({ filter }, () => ({ path: constructs }));
    },
  };
}
