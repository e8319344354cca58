import { readFileSync, readdirSync } from "node:fs";

/**
 * Pids of every live `gatehouse host run` process serving `home`, found in /proc (Linux): what a user
 * would see with `ps`, whatever host.json or the lock says.
 */
export function hostProcesses(home: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const args = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0");
      if (!args.some((arg) => arg.endsWith("gatehouse.js")) || args.indexOf("host") < 0 || args[args.indexOf("host") + 1] !== "run") continue;
      const env = readFileSync(`/proc/${name}/environ`, "utf8").split("\0");
      const state = /^State:\s+(\w)/m.exec(readFileSync(`/proc/${name}/status`, "utf8"))?.[1];
      if (env.includes(`GATEHOUSE_HOME=${home}`) && state !== "Z") pids.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}
