import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Path of a module next to `fromUrl`, with the same extension as the caller: `.ts` when running from
 * sources (tests through tsx), `.js` when running from dist/.
 */
export function siblingModule(fromUrl: string, relativeName: string): string {
  const ext = fromUrl.endsWith(".ts") ? ".ts" : ".js";
  const path = fileURLToPath(new URL(`${relativeName}${ext}`, fromUrl));
  if (!existsSync(path)) throw new Error(`internal: module ${path} is missing`);
  return path;
}
