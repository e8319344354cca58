/** The gatehouse command line: parses the command, imports only what that command needs, runs it. */
import { isGatehouseError } from "../errors.js";

const HELP = `gatehouse — build, run and ship JWT-protected serverless HTTP APIs, offline

Usage: gatehouse <command> [flags]

Commands:
  dev | start        Serve the app in this directory as API Gateway + Lambda would, reloading on save
      --port N           port of the first Api (default 4000)
      --stage S          stage name (default: sst.json's stage)
      --idp-port N       port of the first embedded identity provider (default 4100)
      --idp remote       contact the issuers the app names instead of impersonating them
      --console-port N   port of the dev console (default: the first Api's port + 300)
      --no-console       do not serve the dev console
      --quiet            no access line per request (errors still print)
  create <dir> [--template api-auth-jwt-auth0|minimal] [--language javascript|typescript]
                     Scaffold an app (the walkthrough by default)
  deploy [--stage S] [--target host|aws]
                     host (default): build production bundles and serve them from the host on a stable port
                     aws: deploy the stage to API Gateway + Lambda through the CDK toolkit
                     (sst.json "gatehouse": { "target": "aws" } changes the default)
  remove [--stage S] [--target host|aws] [--yes]
                     Stop serving a stage and delete its artifacts and state (aws: destroy its stacks)
  list [--target host|aws]
                     Deployed stages: target, app, stage, version, endpoint, time
  synth [--stage S] [--out DIR]
                     Write the stage's CDK cloud assembly for AWS (default .gatehouse/<stage>/cdk.out)
  host start|stop|status|logs
                     Manage the host that serves deployed stages (state in GATEHOUSE_HOME, default ~/.gatehouse)
  idp users add --email E --password P [--name N]   add a user to the embedded tenant(s)
  idp users list | idp users remove --email E
  idp apps list                                      client ids, secrets and callbacks
  idp keys rotate                                    new signing key; old tokens stay valid
  idp token --email E --password P [--audience A]    log in through the real flow, print tokens
  idp credentials create [--name N] | list           IAM key pairs AWS_IAM routes accept (prints exports)
      (idp commands take --stage S and --issuer URL when the app names several issuers)

Flags:
  -h, --help         this help
  -v, --version      print the version
`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  dev: async () => (await import("./dev-command.js")).devCommand,
  start: async () => (await import("./dev-command.js")).devCommand,
  idp: async () => (await import("./idp-command.js")).idpCommand,
  deploy: async () => (await import("./deploy-command.js")).deployCommand,
  remove: async () => (await import("./remove-command.js")).removeCommand,
  list: async () => (await import("./list-command.js")).listCommand,
  host: async () => (await import("./host-command.js")).hostCommand,
  create: async () => (await import("./create-command.js")).createCommand,
  synth: async () => (await import("./synth-command.js")).synthCommand,
};

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    process.stdout.write(HELP);
    return name === undefined ? 1 : 0;
  }
  if (name === "-v" || name === "--version") {
    const { readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`gatehouse: unknown command "${name}". Run \`gatehouse --help\` for the list.\n`);
    return 2;
  }
  return (await load())(rest);
}

// Output piped into `head` and closed early is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

try {
  const code = await run(process.argv.slice(2));
  if (code !== 0) process.exitCode = code;
} catch (err) {
  if (isGatehouseError(err)) {
    process.stderr.write(`Error [${err.code}]: ${err.message}\n`);
  } else {
    process.stderr.write(`gatehouse crashed (this is a bug):\n${(err as Error)?.stack ?? String(err)}\n`);
  }
  process.exitCode = 1;
}
