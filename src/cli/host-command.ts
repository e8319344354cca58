import { existsSync, readFileSync } from "node:fs";
import { ensureHost, hostState, stopHost } from "../host/host-control.js";
import { hostHome } from "../host/host-home.js";
import { consoleLogger } from "../log.js";
import { closeOnSignal } from "./close-on-signal.js";

/** `gatehouse host start|stop|status|logs|run`. */
export async function hostCommand(action: "start" | "stop" | "status" | "logs" | "run", flags: { lines?: number }): Promise<number> {
  const home = hostHome();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  switch (action) {
    case "run": {
      const { runHost } = await import("../host/host-server.js");
      const host = await runHost({ home, logger: consoleLogger });
      await closeOnSignal(() => host.close());
      return 0;
    }
    case "start": {
      const status = await ensureHost(home);
      out(`Host running (pid ${status.pid}), serving ${status.stages.length} stage(s). Home: ${home.root}`);
      return 0;
    }
    case "stop":
      out((await stopHost(home)) ? "Host stopped." : "No host was running.");
      return 0;
    case "status": {
      // Exit codes: 0 serving, 3 no host (the lock is free), 4 a host holds the home but does not answer.
      const found = await hostState(home);
      if (found.state === "stopped") {
        out(`No host running (home ${home.root}).`);
        return 3;
      }
      if (found.state === "unresponsive") {
        const { pid, acquiredAt } = found.owner;
        out(
          `Host not answering: pid ${pid} (started ${acquiredAt}) holds ${home.root} but did not answer within ${found.waitedMs} ms; it is stopped or hung. ` +
            `Fix: \`kill -CONT ${pid}\` if it was stopped; otherwise \`gatehouse host stop\`.`,
        );
        return 4;
      }
      out(`Host running (pid ${found.status.pid}, started ${found.owner.acquiredAt}). Home: ${home.root}`);
      for (const stage of found.status.stages) {
        out(`  ${stage.app}/${stage.stage} version ${stage.version}: ${Object.values(stage.endpoints).join(" ")}`);
      }
      return 0;
    }
    case "logs": {
      if (!existsSync(home.log)) {
        out("No host log yet.");
        return 0;
      }
      const lines = readFileSync(home.log, "utf8").trimEnd().split("\n");
      out(lines.slice(-(flags.lines ?? 100)).join("\n"));
      return 0;
    }
  }
}
