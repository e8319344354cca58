import { relative, sep } from "node:path";

/**
 * Where in the app's own files a construct was created (`stacks/MyStack.js:9`), so config errors can name the
 * file. Relies on source maps being enabled while the stacks bundle runs.
 */
export function callerLocation(appRoot: string): string | null {
  const stack = new Error().stack ?? "";
  for (const line of stack.split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?$/.exec(line.trim());
    if (!match) continue;
    const file = match[1].replace(/^file:\/\//, "");
    if (!file.startsWith(appRoot + sep) || file.includes(`${sep}node_modules${sep}`) || file.includes(`${sep}.gatehouse${sep}`)) {
      continue;
    }
    return `${relative(appRoot, file)}:${match[2]}`;
  }
  return null;
}
