import { deployStage } from "../host/deploy-stage.js";
import { hostHome } from "../host/host-home.js";
import { formatOutputs } from "../serve/resolve-outputs.js";
import type { DeployFlags } from "./commands/deploy.js";

/** `gatehouse deploy [--stage S] [--idp embedded|remote]`. */
export async function deployCommand(flags: DeployFlags): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  if (flags.idp === "embedded") {
    // Opt-in and loud: such a stage accepts tokens no real issuer signed.
    warn(
      [
        "!!! --idp embedded: this stage does NOT trust the issuers the app names. !!!",
        "!!! Its own embedded tenants impersonate them: only tokens they sign pass, whatever issuer they name. !!!",
        `!!! For previews and offline walkthroughs only; manage it with \`gatehouse idp … --stage ${flags.stage ?? "<stage>"}\`. !!!`,
      ].join("\n"),
    );
  }
  const result = await deployStage({ cwd: process.cwd(), stage: flags.stage, home: hostHome(), progress: out, warn, idp: flags.idp });
  out(result.unchanged ? `No changes: version ${result.version} stays live.` : `Version ${result.version} is live.`);
  out(`\n${formatOutputs(result.outputs)}`);
  if (flags.idp === "embedded") {
    out(`Users and tokens of its embedded tenant: gatehouse idp users add --stage ${result.stage} …, gatehouse idp token --stage ${result.stage} ….`);
  }
  return 0;
}
