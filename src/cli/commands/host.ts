import type { Command } from "commander";
import { parseCount, runAction } from "./options.js";

/** `gatehouse host start|stop|status|logs` (and the hidden `run`, how `start` launches it). */
export function hostDefinition(program: Command): void {
  const host = program
    .command("host")
    .description("manage the host that serves deployed stages (state in GATEHOUSE_HOME, default ~/.gatehouse)");
  const run = (action: "start" | "stop" | "status" | "logs" | "run") => (flags: { lines?: number }) => runAction(async () => (await import("../host-command.js")).hostCommand(action, flags));
  host.command("start").description("start the host in the background, serving every deployed stage").action(run("start"));
  host.command("stop").description("stop the host; deployed stages stop answering until the next start or deploy").action(run("stop"));
  host.command("status").description("whether the host runs and what it serves (exit 3 when it does not run)").action(run("status"));
  host
    .command("logs")
    .description("the last lines of the host's log")
    .option("-n, --lines <count>", "how many lines (default 100)", parseCount)
    .action(run("logs"));
  // The host process itself; `host start` spawns it, people never need to.
  host.command("run", { hidden: true }).action(run("run"));
}
