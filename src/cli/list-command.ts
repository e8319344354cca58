import { openTarget, targetName } from "../deploy/choose-target.js";
import { type ListedStage, TARGET_NAMES, type TargetName } from "../deploy/deploy-target.js";
import type { ListFlags } from "./commands/list.js";

/** `gatehouse list [--target host|aws]`: deployed stages, on this machine's host and on AWS. */
export async function listCommand(flags: ListFlags): Promise<number> {
  const names: readonly TargetName[] = flags.target === undefined ? TARGET_NAMES : [targetName(flags.target, null)];
  const stages: ListedStage[] = [];
  const notes: string[] = [];
  for (const name of names) {
    const listed = await (await openTarget(name)).list();
    stages.push(...listed.stages);
    notes.push(...listed.notes);
  }
  if (stages.length === 0) process.stdout.write("No deployed stages.\n");
  else printTable(stages);
  for (const note of notes) process.stdout.write(`${note}\n`);
  return 0;
}

function printTable(stages: ListedStage[]): void {
  const rows = [["TARGET", "APP", "STAGE", "VERSION", "ENDPOINT", "DEPLOYED", "SERVING"]];
  for (const stage of stages) rows.push([stage.target, stage.app, stage.stage, stage.version, stage.endpoints.join(" "), stage.deployedAt, stage.serving]);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()}\n`);
}
