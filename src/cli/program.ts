import { Command, CommanderError } from "commander";
import { createDefinition } from "./commands/create.js";
import { deployDefinition } from "./commands/deploy.js";
import { devDefinition } from "./commands/dev.js";
import { hostDefinition } from "./commands/host.js";
import { idpDefinition } from "./commands/idp.js";
import { listDefinition } from "./commands/list.js";
import { removeDefinition } from "./commands/remove.js";
import { synthDefinition } from "./commands/synth.js";

/**
 * Every command, in the order `gatehouse --help` lists them. Adding a command is one file in commands/
 * declaring its commander definition and one line here; its action imports what it runs lazily, so
 * `--help` never loads esbuild, SQLite or the identity provider.
 */
const DEFINITIONS: Array<(program: Command) => void> = [
  devDefinition,
  createDefinition,
  deployDefinition,
  removeDefinition,
  listDefinition,
  synthDefinition,
  hostDefinition,
  idpDefinition,
];

/** The exit codes, as `--help` and the README state them. */
export const EXIT_CODES = {
  ok: 0,
  /** Something the user can fix: `Error [GH_ERR_…]: message` on stderr. */
  userError: 1,
  /** The command line itself is wrong: unknown command or flag, missing argument or value. */
  usage: 2,
} as const;

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  user error, printed as one line "Error [GH_ERR_…]: what is wrong and the fix"
  2  usage error: unknown command or flag, missing argument or flag value
  (\`host status\` exits 3 when no host is running)

Run \`gatehouse <command> --help\` for a command's flags.`;

/**
 * A usage error found by the parser, printed like every other user error: one line with a code and a fix.
 * Commander's own text ("error: unknown command 'deplyo'\n(Did you mean deploy?)") is folded into it.
 */
export function formatUsageError(text: string, commandPath = "gatehouse"): string {
  const folded = text
    .replace(/^error: /, "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ")
    .replace(/\(Did you mean (.+)\?\)/, "(did you mean $1?)")
    .replace(/ is invalid\. /, " is invalid: ");
  return `Error [GH_ERR_USAGE]: ${folded.replace(/\.$/, "")}. Fix: see \`${commandPath} --help\`.`;
}

/** The whole command tree; parsing throws CommanderError (exit code set) instead of exiting. */
export function buildProgram(version: () => string): Command {
  const program = new Command("gatehouse")
    .description("Build, run and ship JWT-protected serverless HTTP APIs (SST apps) on one machine, offline.")
    .usage("<command> [flags]")
    .helpOption("-h, --help", "show help for a command")
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: false })
    .exitOverride((err) => {
      // Help and --version exit 0; anything else the parser refuses is a usage error.
      throw err.exitCode === 0 ? err : new CommanderError(EXIT_CODES.usage, err.code, err.message);
    })
    .addHelpText("after", EXIT_CODES_HELP);
  program.version(version(), "-v, --version", "print the version");
  for (const define of DEFINITIONS) define(program);
  // Each command's usage errors point at its own help.
  const pointAtHelp = (command: Command, path: string) => {
    command.configureOutput({ outputError: (text, write) => write(`${formatUsageError(text, path)}\n`) });
    for (const child of command.commands) pointAtHelp(child, `${path} ${child.name()}`);
  };
  pointAtHelp(program, "gatehouse");
  return program;
}

/**
 * The command `argv` names before its first flag, as deep as the tree goes; used to answer a bare group
 * (`gatehouse`, `gatehouse idp`) with its help and exit 0.
 */
export function namedCommand(program: Command, argv: readonly string[]): { command: Command; rest: string[] } {
  let command = program;
  let index = 0;
  for (; index < argv.length; index++) {
    const next = command.commands.find((candidate) => candidate.name() === argv[index] || candidate.aliases().includes(argv[index]));
    if (!next) break;
    command = next;
  }
  return { command, rest: argv.slice(index) };
}
