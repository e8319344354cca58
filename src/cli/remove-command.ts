import { createInterface } from "node:readline/promises";
import { hostHome } from "../host/host-home.js";
import { removeStage } from "../host/remove-stage.js";
import type { RemoveFlags } from "./commands/remove.js";

/** `gatehouse remove [--stage S] [--yes]`. */
export async function removeCommand(values: RemoveFlags): Promise<number> {
  const confirmUsers = async (count: number): Promise<boolean> => {
    if (values.yes) return true;
    if (!process.stdin.isTTY) return false;
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await prompt.question(`This stage's identity tenant holds ${count} user(s); delete them with the stage? [y/N] `);
    prompt.close();
    return /^y(es)?$/i.test(answer.trim());
  };
  const { countStageUsers } = await import("../host/count-stage-users.js");
  const result = await removeStage({ cwd: process.cwd(), stage: values.stage, home: hostHome(), confirmUsers, countUsers: countStageUsers });
  for (const name of result.stackNames) process.stdout.write(`Stack ${name}\n  Status: removed\n`);
  process.stdout.write(`Removed stage ${result.stage} of ${result.app}.\n`);
  return 0;
}
