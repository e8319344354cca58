import { basename, resolve } from "node:path";

/** Used when a directory's name has no letter or digit to build an app name from. */
export const FALLBACK_APP_NAME = "my-sst-app";

/**
 * The sst.json `name` for an app created in `dir`: the directory's basename with every run of other
 * characters turned into one dash, as sst.json takes only letters, digits and dashes (starting with a
 * letter or digit), e.g. `My API_v2` → `My-API-v2`.
 */
export function appNameFromDir(dir: string): string {
  const name = basename(resolve(dir))
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name === "" ? FALLBACK_APP_NAME : name;
}

/**
 * The package.json `name` for an app: npm names are lowercase (uppercase is refused by `npm publish`
 * and warned about by `npm install`), so the app name is lowercased there.
 */
export function packageNameFor(appName: string): string {
  return appName.toLowerCase();
}
