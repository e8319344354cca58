import { wantsColor } from "../gateway/access-log.js";
import { consoleLogger } from "../log.js";
import { describeIamCredential } from "../dev/describe-iam-credential.js";
import { describeTenant } from "../dev/describe-tenant.js";
import { startDev } from "../dev/dev-session.js";
import { formatOutputs } from "../serve/resolve-outputs.js";
import { closeOnSignal } from "./close-on-signal.js";
import type { DevFlags } from "./commands/dev.js";

/** `gatehouse dev` / `gatehouse start`. */
export async function devCommand(flags: DevFlags): Promise<number> {
  const started = performance.now();
  const session = await startDev({
    cwd: process.cwd(),
    stage: flags.stage,
    port: flags.port,
    idpPort: flags.idpPort,
    idp: flags.idp,
    logger: consoleLogger,
    quiet: flags.quiet === true,
    color: wantsColor(process.stdout, process.env),
    // commander turns --no-console into console: false.
    console: flags.console === false ? false : { port: flags.consolePort },
  });
  await session.watching();
  // Through the logger, so these lines keep their place among the ones it has not written yet.
  const out = consoleLogger.info;
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
