import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Everything Gatehouse stores (tenant databases with private keys and client secrets, the host's control
 * token, sessions, artifacts) is for the user who runs it only: folders 0700, files 0600. Modes are given
 * when a file is created and set again right after, because the mode passed to open/mkdir is masked by the
 * umask and ignored for what already exists. See docs/host.md.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) private to the owner; an existing `dir` is made private too. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Writes `contents` to `file` readable by its owner only. */
export function writePrivateFile(file: string, contents: string | Uint8Array): void {
  writeFileSync(file, contents, { mode: PRIVATE_FILE_MODE });
  chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * Creates `file` empty (if missing) and private, before a library such as SQLite opens it: SQLite gives its
 * -wal, -shm and -journal files the mode of the database file, so they are born private as well.
 */
export function touchPrivateFile(file: string): void {
  closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Makes a SQLite database and its companion files private, as far as they exist. */
export function makeDatabasePrivate(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

/**
 * Takes group and other permissions away from `root` and everything under it (folders 0700, files keep
 * their owner bits only): fixes state written by an older Gatehouse, or under a loose umask. Symbolic links
 * are neither followed nor changed. Missing `root` is fine.
 */
export function makeTreePrivate(root: string): void {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(root);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(root, PRIVATE_DIR_MODE);
    for (const name of readdirSync(root)) makeTreePrivate(join(root, name));
  } else if (stat.mode & 0o077) {
    chmodSync(root, stat.mode & 0o700);
  }
}
