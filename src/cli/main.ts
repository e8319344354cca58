/** The gatehouse command line: parses the command, imports only what that command needs, runs it. */
import { readFileSync } from "node:fs";
import { CommanderError } from "commander";
import { isGatehouseError } from "../errors.js";
import { buildProgram, EXIT_CODES, namedCommand } from "./program.js";
import { userFacingSystemError } from "./system-errors.js";

function version(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

// Output piped into `head` and closed early is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/** Runs the command line; resolves with the exit code. */
async function run(argv: string[]): Promise<number> {
  const program = buildProgram(version);
  // A bare group (`gatehouse`, `gatehouse idp`, `gatehouse idp users`) answers with its help, as a question.
  const { command, rest } = namedCommand(program, argv);
  if (command.commands.length > 0 && rest.length === 0) {
    command.outputHelp();
    return EXIT_CODES.ok;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  return Number(process.exitCode ?? EXIT_CODES.ok);
}

try {
  const code = await run(process.argv.slice(2));
  if (code !== 0) process.exitCode = code;
} catch (err) {
  const userError = isGatehouseError(err) ? err : userFacingSystemError(err);
  if (userError) {
    process.stderr.write(`Error [${userError.code}]: ${userError.message}\n`);
  } else {
    process.stderr.write(`gatehouse crashed (this is a bug):\n${(err as Error)?.stack ?? String(err)}\n`);
  }
  process.exitCode = EXIT_CODES.userError;
}
