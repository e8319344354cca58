import type { AppConfig } from "../app/load-config.js";
import { GatehouseError } from "../errors.js";
import { type DeployTarget, TARGET_NAMES, type TargetName } from "./deploy-target.js";

/** `--target`, else sst.json's `"gatehouse": { "target" }`, else `host`. */
export function targetName(flag: string | undefined, config: Pick<AppConfig, "target"> | null): TargetName {
  if (flag === undefined) return config?.target ?? "host";
  if (!(TARGET_NAMES as readonly string[]).includes(flag)) {
    throw new GatehouseError("GH_ERR_FLAG_INVALID", `--target "${flag}": use --target host (this machine's host) or --target aws.`);
  }
  return flag as TargetName;
}

/** The target itself; AWS (and with it aws-cdk-lib and the toolkit) is loaded only when it is chosen. */
export async function openTarget(name: TargetName): Promise<DeployTarget> {
  if (name === "aws") {
    const { AwsTarget } = await import("../aws/aws-target.js");
    return new AwsTarget();
  }
  const { HostTarget } = await import("./host-target.js");
  return new HostTarget();
}
