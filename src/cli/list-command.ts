import { DeploymentStore } from "../host/deployment-store.js";
import { hostStatus } from "../host/host-control.js";
import { hostHome } from "../host/host-home.js";

/** `gatehouse list`: every deployed stage on this machine. */
export async function listCommand(): Promise<number> {
  const home = hostHome();
  const store = new DeploymentStore(home.database);
  const stages = store.listStages().filter((stage) => stage.liveVersion !== null);
  store.close();
  const served = new Set((await hostStatus(home))?.stages.map((stage) => `${stage.app}/${stage.stage}`) ?? []);
  if (stages.length === 0) {
    process.stdout.write("No deployed stages.\n");
    return 0;
  }
  const rows = [["APP", "STAGE", "VERSION", "ENDPOINT", "DEPLOYED", "SERVING"]];
  for (const stage of stages) {
    const endpoints = Object.entries(stage.ports)
      .filter(([key]) => !key.startsWith("auth:"))
      .map(([, port]) => `http://127.0.0.1:${port}`)
      .join(" ");
    rows.push([stage.app, stage.stage, String(stage.liveVersion), endpoints, stage.deployedAt ?? "", served.has(`${stage.app}/${stage.stage}`) ? "yes" : "no (host stopped)"]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()}\n`);
  return 0;
}
