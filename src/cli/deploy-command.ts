import { loadConfig } from "../app/load-config.js";
import { synthApp } from "../app/synth-app.js";
import { openTarget, targetName } from "../deploy/choose-target.js";
import { GatehouseError } from "../errors.js";
import { formatOutputs } from "../serve/resolve-outputs.js";
import type { DeployFlags } from "./commands/deploy.js";

/** `gatehouse deploy [--stage S] [--target host|aws] [--idp embedded|remote]`. */
export async function deployCommand(flags: DeployFlags): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const config = loadConfig(process.cwd(), { stage: flags.stage });
  const name = targetName(flags.target, config);
  if (flags.idp === "embedded" && name !== "host") {
    throw new GatehouseError(
      "GH_ERR_FLAG_INVALID",
      "--idp embedded gives a stage on this machine's host its own impersonated tenant; AWS has none. Fix: drop --idp embedded, or deploy with --target host.",
    );
  }
  if (flags.idp === "embedded") {
    // Opt-in and loud: such a stage accepts tokens no real issuer signed.
    warn(
      [
        "!!! --idp embedded: this stage does NOT trust the issuers the app names. !!!",
        "!!! Its own embedded tenants impersonate them: only tokens they sign pass, whatever issuer they name. !!!",
        `!!! For previews and offline walkthroughs only; manage it with \`gatehouse idp … --stage ${config.stage}\`. !!!`,
      ].join("\n"),
    );
  }
  const target = await openTarget(name);
  // Before any build: a target that cannot be reached says so in seconds.
  await target.checkAccess(config);
  const synthesize = async () => {
    out(`Building stacks for stage ${config.stage}`);
    const synthesized = (await synthApp(config)).manifest;
    // The mode is part of the version: switching it is a new deploy, and the host reads it from the artifact.
    return flags.idp === "embedded" ? { ...synthesized, identityProvider: "embedded" as const } : synthesized;
  };
  const result = await target.deploy(config, synthesize, { progress: out, warn });
  out(result.summary);
  out(`\n${formatOutputs(result.outputs)}`);
  if (flags.idp === "embedded") {
    out(`Users and tokens of its embedded tenant: gatehouse idp users add --stage ${config.stage} …, gatehouse idp token --stage ${config.stage} ….`);
  }
  return 0;
}
