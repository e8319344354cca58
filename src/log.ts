/** Where a capability writes human-readable lines; the CLI decides where they go. */
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** Info lines waiting past this many characters are written at once, whatever the turn. */
const MAX_PENDING_CHARS = 64 * 1024;

/**
 * A logger writing to the process's stdout/stderr. Info lines (the access log: one per request) written within
 * one turn of the event loop leave in one write: stdout to a pipe or a terminal is a blocking write per call,
 * and one per request cost the gateway a third of its throughput under load. Warnings and errors are written
 * at once, after the info lines before them, so the order between the two streams is kept.
 */
export class StdioLogger implements Logger {
  private pending = "";
  private scheduled = false;

  readonly info = (line: string): void => {
    this.pending += `${line}\n`;
    if (this.pending.length > MAX_PENDING_CHARS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  };

  readonly warn = (line: string): void => {
    this.flush();
    process.stderr.write(`${line}\n`);
  };

  readonly error = (line: string): void => {
    this.flush();
    process.stderr.write(`${line}\n`);
  };

  /** Writes the waiting info lines now (before other output to stdout, and at exit). */
  readonly flush = (): void => {
    this.scheduled = false;
    if (this.pending === "") return;
    const text = this.pending;
    this.pending = "";
    process.stdout.write(text);
  };
}

/** The CLI's logger; lines still waiting when the process exits are written first. */
export const consoleLogger = new StdioLogger();
process.on("exit", consoleLogger.flush);

/** A logger that keeps lines in memory (tests, quiet embedding). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (line) => lines.push(line),
    warn: (line) => lines.push(line),
    error: (line) => lines.push(line),
  };
}
