import { deployStage } from "../host/deploy-stage.js";
import { hostHome } from "../host/host-home.js";
import { formatOutputs } from "../serve/resolve-outputs.js";
import type { DeployFlags } from "./commands/deploy.js";

/** `gatehouse deploy [--stage S]`. */
export async function deployCommand(flags: DeployFlags): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const result = await deployStage({ cwd: process.cwd(), stage: flags.stage, home: hostHome(), progress: out });
  out(result.unchanged ? `No changes: version ${result.version} stays live.` : `Version ${result.version} is live.`);
  out(`\n${formatOutputs(result.outputs)}`);
  return 0;
}
