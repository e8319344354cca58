import { wantsColor } from "../gateway/access-log.js";
import { consoleLogger } from "../log.js";
import { describeIamCredential } from "../dev/describe-iam-credential.js";
import { describeTenant } from "../dev/describe-tenant.js";
import { startDev } from "../dev/dev-session.js";
import { formatOutputs } from "../serve/resolve-outputs.js";
import { GatehouseError } from "../errors.js";
import { closeOnSignal } from "./close-on-signal.js";
import { parseFlags, portFlag } from "./parse-flags.js";

/** `gatehouse dev` / `gatehouse start`. */
export async function devCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      port: { type: "string" },
      stage: { type: "string" },
      "idp-port": { type: "string" },
      idp: { type: "string" },
      "console-port": { type: "string" },
      "no-console": { type: "boolean" },
      quiet: { type: "boolean" },
    },
    "dev",
  );
  if (values.idp !== undefined && values.idp !== "embedded" && values.idp !== "remote") {
    throw new GatehouseError("GH_ERR_FLAG_INVALID", `--idp "${values.idp}": use --idp embedded (default) or --idp remote.`);
  }
  const started = performance.now();
  const session = await startDev({
    cwd: process.cwd(),
    stage: values.stage,
    port: portFlag(values.port, "--port"),
    idpPort: portFlag(values["idp-port"], "--idp-port"),
    idp: values.idp as "embedded" | "remote" | undefined,
    logger: consoleLogger,
    quiet: values.quiet === true,
    color: wantsColor(process.stdout, process.env),
    console: values["no-console"] ? false : { port: portFlag(values["console-port"], "--console-port") },
  });
  const out = (text: string) => process.stdout.write(`${text}\n`);
  out(`\n${formatOutputs(session.outputs())}\n`);
  for (const tenant of [...session.tenants, ...session.stageTenants()]) out(`${describeTenant(tenant)}\n`);
  if (session.iamCredential) out(`${describeIamCredential(session.iamCredential)}\n`);
  if (session.consoleUrl) out(`Console: ${session.consoleUrl}\n`);
  const tables = session.manifest().tables;
  const dynamoDb = session.tablesEndpoint();
  if (dynamoDb !== null && tables.length > 0) out(`Tables (local DynamoDB at ${dynamoDb}): ${tables.map((table) => table.tableName).join(", ")}\n`);
  out(`Ready in ${Math.round(performance.now() - started)} ms. Watching ${session.config.root} for changes; Ctrl-C to stop.`);

  await closeOnSignal(() => session.close());
  return 0;
}
