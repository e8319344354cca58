import { type ErrorCode, GatehouseError } from "../errors.js";

/** errno codes (Node's fs, SQLite's open) a user causes and can fix, with the code and fix they print as. */
const USER_CAUSED: Record<string, { code: ErrorCode; problem: string; fix: string }> = {
  EACCES: { code: "GH_ERR_PERMISSION_DENIED", problem: "permission denied", fix: "run gatehouse as a user who may write there, or fix the folder's permissions (chmod/chown)" },
  EPERM: { code: "GH_ERR_PERMISSION_DENIED", problem: "operation not permitted", fix: "run gatehouse as a user who may write there, or fix the folder's permissions (chmod/chown)" },
  EROFS: { code: "GH_ERR_PERMISSION_DENIED", problem: "the file system is read-only", fix: "work in a copy of the app on a writable disk" },
  ENAMETOOLONG: { code: "GH_ERR_PATH_TOO_LONG", problem: "the name is too long for the file system", fix: "pick a shorter name or a shallower folder" },
  ENOSPC: { code: "GH_ERR_DISK_FULL", problem: "no space left on the device", fix: "free some disk space" },
  EDQUOT: { code: "GH_ERR_DISK_FULL", problem: "the disk quota is exceeded", fix: "free some space within your quota" },
  SQLITE_READONLY: { code: "GH_ERR_PERMISSION_DENIED", problem: "the database is read-only", fix: "fix the permissions of its folder, or run as its owner" },
  SQLITE_CANTOPEN: { code: "GH_ERR_PERMISSION_DENIED", problem: "the database cannot be opened", fix: "check that its folder exists and is writable by you" },
  SQLITE_FULL: { code: "GH_ERR_DISK_FULL", problem: "no space left for the database", fix: "free some disk space" },
};

/**
 * A file-system failure the user caused (read-only app folder, a name too long, a full disk) as a
 * GatehouseError naming the path and the fix; undefined for anything else, which stays a bug with a stack.
 * Wrapped errors are followed through `cause`, since several layers re-throw with context.
 */
export function userFacingSystemError(err: unknown): GatehouseError | undefined {
  for (let current = err, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const errno = current as NodeJS.ErrnoException;
    const known = errno.code ? USER_CAUSED[errno.code] : undefined;
    if (!known) continue;
    const where = errno.path ? `${errno.path}: ` : "";
    const what = errno.syscall ? ` (${errno.syscall})` : "";
    return new GatehouseError(known.code, `${where}${known.problem}${what}. Fix: ${known.fix}.`, { cause: err });
  }
  return undefined;
}
