import { statSync } from "node:fs";
import { relative, sep } from "node:path";
import { type FSWatcher, watch } from "chokidar";

/** Folders whose changes never concern the app's build: dependencies, Gatehouse's own output, VCS, bundles. */
const IGNORED = new Set(["node_modules", ".gatehouse", "dist", ".git", ".sst", ".build"]);
/**
 * Editors save in bursts (truncate, write, rename) that land within a millisecond or two; one short pause folds
 * a burst into one change. A burst split anyway is read again by the recheck below.
 */
const SETTLE_MS = 3;
/**
 * chokidar drops (not delays) a second change to one file within 50 ms of the first. Each reported file is
 * looked at again after that window, and reported again if it differs from what the first report saw, so
 * two quick saves never leave the older one served.
 */
const RECHECK_MS = 60;

export interface AppWatcherOptions {
  /** Hears each settled batch of changed (added, changed or deleted) files, as absolute paths. */
  onChange(files: string[]): void;
  /** Hears when watching fails (e.g. the system's limit of watches is reached). */
  onError(err: Error): void;
}

/**
 * Watches an app's folder for saved files, whatever way an editor saves them. chokidar watches each folder
 * and re-arms itself when a file is replaced by a rename (vim, JetBrains' safe write, `sed -i`, formatters),
 * which a single recursive `fs.watch` does not: it kept watching the replaced file's old inode and went deaf.
 */
export class AppWatcher {
  private readonly watcher: FSWatcher;
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  /** What each recently reported file looked like when reported (inode, size, mtime), until its recheck. */
  private readonly seen = new Map<string, { signature: string; recheck: NodeJS.Timeout }>();
  /** Resolves once the initial scan is done; saves before it may go unseen. */
  readonly ready: Promise<void>;

  constructor(
    private readonly root: string,
    private readonly options: AppWatcherOptions,
  ) {
    this.watcher = watch(root, {
      ignoreInitial: true,
      ignored: (path) => this.isIgnored(path),
      // A file deleted and re-created within this window (atomic save) is one change, not unlink + add.
      atomic: 100,
      followSymlinks: false,
    });
    for (const event of ["add", "change", "unlink"] as const) this.watcher.on(event, (path: string) => this.queue(path));
    this.watcher.on("error", (err) => options.onError(err instanceof Error ? err : new Error(String(err))));
    this.ready = new Promise((resolve) => this.watcher.once("ready", () => resolve()));
  }

  /** Stops watching; a batch not yet delivered is dropped. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const { recheck } of this.seen.values()) clearTimeout(recheck);
    this.seen.clear();
    await this.watcher.close();
  }

  private isIgnored(path: string): boolean {
    const inside = relative(this.root, path);
    if (inside === "" || inside.startsWith("..")) return false;
    return inside.split(sep).some((segment) => IGNORED.has(segment));
  }

  private queue(path: string): void {
    this.pending.add(path);
    const previous = this.seen.get(path);
    if (previous) clearTimeout(previous.recheck);
    const recheck = setTimeout(() => {
      const entry = this.seen.get(path);
      this.seen.delete(path);
      if (entry && signatureOf(path) !== entry.signature) this.queue(path);
    }, RECHECK_MS);
    this.seen.set(path, { signature: signatureOf(path), recheck });
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const files = [...this.pending];
      this.pending.clear();
      this.options.onChange(files);
    }, SETTLE_MS);
  }
}

function signatureOf(path: string): string {
  try {
    const stats = statSync(path);
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  } catch {
    return "absent";
  }
}
