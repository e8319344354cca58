import { type FSWatcher, watch } from "node:fs";
import { join, sep } from "node:path";

const IGNORED = new Set(["node_modules", ".gatehouse", ".git", ".sst", ".build"]);
/** Editors save in bursts (truncate, write, rename); one short pause folds a burst into one change. */
const SETTLE_MS = 8;

/**
 * Watches the app directory and reports changed files in batches; `onError` hears when watching fails (e.g.
 * the system's limit of watches is reached). Returns a function that stops watching.
 */
export function watchApp(root: string, onChange: (files: string[]) => void, onError: (err: Error) => void): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const watcher: FSWatcher = watch(root, { recursive: true }, (_event, name) => {
    if (!name) return;
    const first = name.split(sep)[0];
    if (IGNORED.has(first) || name.includes(`${sep}node_modules${sep}`)) return;
    pending.add(join(root, name));
    timer ??= setTimeout(() => {
      timer = null;
      const files = [...pending];
      pending.clear();
      onChange(files);
    }, SETTLE_MS);
  });
  watcher.on("error", onError);
  return () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}
