import { type Dirent, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { GatehouseError } from "../errors.js";
import { appNameFromDir, packageNameFor } from "./app-name.js";
import { DEFAULT_LANGUAGE, DEFAULT_TEMPLATE, type Language, type TemplateName, templateDir } from "./template-catalog.js";

export interface ScaffoldOptions {
  /** Where to create the app (relative to the process's cwd); created if missing, refused if not empty. */
  dir: string;
  template?: TemplateName;
  language?: Language;
}

export interface ScaffoldedApp {
  /** Absolute path of the new app. */
  root: string;
  /** The sst.json name the app was given. */
  name: string;
  template: TemplateName;
  language: Language;
  /** The files written, relative to `root`, `/`-separated and sorted. */
  files: string[];
}

// Stored without the dot because npm leaves `.gitignore` files out of published packages.
const RENAMED_ON_COPY: Record<string, string> = { gitignore: ".gitignore" };

// Left behind if someone runs a template in place; never part of a new app.
const NOT_COPIED = new Set(["node_modules", ".gatehouse", ".sst", ".build"]);

/** Writes a new SST app from a template into `dir`, naming it after the directory. */
export function scaffoldApp(options: ScaffoldOptions): ScaffoldedApp {
  const template = options.template ?? DEFAULT_TEMPLATE;
  const language = options.language ?? DEFAULT_LANGUAGE;
  const root = resolve(options.dir);
  const name = appNameFromDir(root);
  const sources = listTemplateFiles(templateDir(template, language));
  // `gatehouse create .` reads better as the directory's full path in a refusal.
  const label = root === resolve(".") ? root : options.dir;
  prepareEmptyDir(label, root);

  const files: string[] = [];
  for (const source of sources) {
    const target = source
      .split("/")
      .map((part) => RENAMED_ON_COPY[part] ?? part)
      .join("/");
    const contents = withAppName(target, readFileSync(join(templateDir(template, language), source)), name);
    try {
      mkdirSync(dirname(join(root, target)), { recursive: true });
      // "wx": never overwrite, even a file that appeared after the emptiness check.
      writeFileSync(join(root, target), contents, { flag: "wx" });
    } catch (err) {
      throw cannotCreate(label, err);
    }
    files.push(target);
  }
  return { root, name, template, language, files: files.sort() };
}

/** The template file's bytes, with the app's name put in where the file carries one. */
function withAppName(file: string, contents: Buffer, name: string): Buffer | string {
  if (file !== "sst.json" && file !== "package.json") return contents;
  const json = JSON.parse(contents.toString("utf8")) as { name?: string };
  json.name = file === "sst.json" ? name : packageNameFor(name);
  return `${JSON.stringify(json, null, 2)}\n`;
}

function listTemplateFiles(dir: string, prefix = ""): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(join(dir, prefix), { withFileTypes: true });
  } catch (err) {
    // The templates ship inside the package: a missing one is a broken install, not a user mistake.
    throw new Error(`internal: template directory ${dir} is unreadable (${(err as Error).message})`);
  }
  return entries
    .filter((entry) => !NOT_COPIED.has(entry.name))
    .flatMap((entry) => {
      const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      return entry.isDirectory() ? listTemplateFiles(dir, path) : [path];
    });
}

/** Creates `root` if it is missing; refuses anything but an empty directory, so no file is ever replaced. */
function prepareEmptyDir(dirAsGiven: string, root: string): void {
  let isDirectory: boolean | undefined;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw cannotCreate(dirAsGiven, err);
  }
  if (isDirectory === false) {
    throw new GatehouseError("GH_ERR_CONFIG_INVALID", `${dirAsGiven} exists and is not a directory. Fix: pick another directory name for the new app.`);
  }
  if (isDirectory) {
    const present = readdirSync(root);
    if (present.length > 0) {
      const shown = present.sort().slice(0, 3).join(", ") + (present.length > 3 ? ", …" : "");
      throw new GatehouseError(
        "GH_ERR_CONFIG_INVALID",
        `${dirAsGiven} is not empty (it holds ${shown}). Fix: pick a new directory name, or empty ${dirAsGiven} first; gatehouse create never overwrites files.`,
      );
    }
    return;
  }
  try {
    mkdirSync(root, { recursive: true });
  } catch (err) {
    throw cannotCreate(dirAsGiven, err);
  }
}

function cannotCreate(dirAsGiven: string, err: unknown): GatehouseError {
  const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new GatehouseError("GH_ERR_CONFIG_INVALID", `Cannot create ${dirAsGiven} (${reason}). Fix: pick a directory you can write to.`, { cause: err });
}
