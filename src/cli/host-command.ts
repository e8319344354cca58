import { existsSync, readFileSync } from "node:fs";
import { ensureHost, hostStatus, stopHost } from "../host/host-control.js";
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
      const status = await hostStatus(home);
      if (!status) {
        out(`No host running (home ${home.root}).`);
        return 3;
      }
      out(`Host running (pid ${status.pid}). Home: ${home.root}`);
      for (const stage of status.stages) {
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
