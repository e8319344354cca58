import type { Command } from "commander";
import { runAction } from "./options.js";

/** Flags of `gatehouse synth`. */
export interface SynthFlags {
  stage?: string;
  out?: string;
}

/** `gatehouse synth`: loads aws-cdk-lib only when run (docs/aws-target.md). */
export function synthDefinition(program: Command): void {
  program
    .command("synth")
    .description("write the app as an AWS CDK cloud assembly (CloudFormation templates and Lambda bundles) for AWS")
    .option("--stage <name>", "stage name (default: sst.json's stage)")
    .option("--out <dir>", "where the assembly goes (default: .gatehouse/<stage>/cdk.out)")
    .action((flags: SynthFlags) => runAction(async () => (await import("../synth-command.js")).synthCommand(flags)));
}
