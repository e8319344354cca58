import { createInterface } from "node:readline/promises";
import { loadConfig } from "../app/load-config.js";
import { openTarget, targetName } from "../deploy/choose-target.js";
import type { RemoveFlags } from "./commands/remove.js";

/** `gatehouse remove [--stage S] [--target host|aws] [--yes]`. */
export async function removeCommand(values: RemoveFlags): Promise<number> {
  const confirmUsers = async (count: number): Promise<boolean> => {
    if (values.yes) return true;
    if (!process.stdin.isTTY) return false;
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await prompt.question(`This stage's identity tenant holds ${count} user(s); delete them with the stage? [y/N] `);
    prompt.close();
    return /^y(es)?$/i.test(answer.trim());
  };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const config = loadConfig(process.cwd(), { stage: values.stage });
  const target = await openTarget(targetName(values.target, config));
  await target.checkAccess(config);
  const result = await target.remove(config, { progress: out, confirmUsers });
  for (const name of result.stackNames) out(`Stack ${name}\n  Status: removed`);
  out(`Removed stage ${result.stage} of ${result.app}.`);
  return 0;
}
