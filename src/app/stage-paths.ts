import { join } from "node:path";
import type { AppConfig } from "./load-config.js";

/** Where a stage's local state lives inside the app: `.gatehouse/<stage>` (build output, dev tenants). */
export function stageStateDir(config: Pick<AppConfig, "root" | "stage">): string {
  return join(config.root, ".gatehouse", config.stage);
}

/** Where a stage's build output lives. */
export function stageBuildDir(config: AppConfig): string {
  return join(stageStateDir(config), "build");
}

/** Where dev keeps the stage's own (Auth) tenants. */
export function stageAuthDir(config: AppConfig): string {
  return join(stageStateDir(config), "auth");
}
