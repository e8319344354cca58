import { loadConfig } from "../app/load-config.js";
import { synthApp } from "../app/synth-app.js";
import { openTarget, targetName } from "../deploy/choose-target.js";
import { formatOutputs } from "../serve/resolve-outputs.js";
import { parseFlags } from "./parse-flags.js";

/** `gatehouse deploy [--stage S] [--target host|aws]`. */
export async function deployCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { stage: { type: "string" }, target: { type: "string" } }, "deploy");
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const config = loadConfig(process.cwd(), { stage: values.stage });
  const target = await openTarget(targetName(values.target, config));
  // Before any build: a target that cannot be reached says so in seconds.
  await target.checkAccess(config);
  out(`Building stacks for stage ${config.stage}`);
  const { manifest } = await synthApp(config);
  const result = await target.deploy(manifest, { progress: out });
  out(result.summary);
  out(`\n${formatOutputs(result.outputs)}`);
  return 0;
}
