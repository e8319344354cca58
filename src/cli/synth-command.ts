import { relative } from "node:path";
import { synthStage } from "../aws/synth-stage.js";
import type { SynthFlags } from "./commands/synth.js";

/** `gatehouse synth [--stage S] [--out DIR]`: the app as a CDK cloud assembly for AWS. */
export async function synthCommand(flags: SynthFlags): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const { config, assembly } = await synthStage({ cwd: process.cwd(), stage: flags.stage, out: flags.out });
  for (const notice of assembly.notices) out(`Notice: ${notice}`);
  out(`Synthesized ${assembly.stacks.length} stack(s) for stage ${config.stage} into ${relative(process.cwd(), assembly.dir) || "."}:`);
  for (const stack of assembly.stacks) out(`  ${stack.name}  ${relative(process.cwd(), stack.templateFile)}`);
  return 0;
}
