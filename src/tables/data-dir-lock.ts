import { openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { GatehouseError } from "../errors.js";

/**
 * Claims a stage's table data for this process. LevelDB allows one process per folder, and dynalite turns a
 * second opener's failure into an uncaught exception (which would take down dev or the whole host), so the
 * claim is checked first. A claim left by a process that no longer runs is taken over.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  static acquire(dataDir: string): DataDirLock {
    const file = join(dataDir, "gatehouse.pid");
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, "wx");
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const holder = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new GatehouseError(
          "GH_ERR_STATE_IN_USE",
          `The table data in ${dataDir} is in use by another Gatehouse process (pid ${holder}): a \`gatehouse dev\` of this stage, or the host serving it. Fix: stop that process, or use another --stage.`,
        );
      }
      rmSync(file, { force: true });
    }
    throw new GatehouseError("GH_ERR_STATE_IN_USE", `The table data in ${dataDir} is being claimed by another Gatehouse process. Fix: try again.`);
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
