// AWS SDK for JavaScript v2 (`aws-sdk`) reads no endpoint from the environment: AWS_ENDPOINT_URL_* are honoured
// by SDK v3 only. Lambda handlers written for v2 must still reach the local services Gatehouse points v3 at, so
// when v2 loads, its global config gets the same endpoints, per service (see docs/tables.md). Plain
// JavaScript: it runs in handler workers, and its one function is also inlined into production bundles.
import Module from "node:module";

/**
 * Gives v2's global `AWS.config` a service-specific endpoint for each `AWS_ENDPOINT_URL_<SERVICE>` variable
 * (`AWS_ENDPOINT_URL_DYNAMODB` → `AWS.config.dynamodb.endpoint`). An endpoint the handler's code sets itself,
 * in the config or a client's options, still wins. Self-contained on purpose (inlined as source text).
 */
export function pointSdkV2AtLocalEndpoints(AWS, env) {
  if (!AWS?.config) return;
  for (const name of Object.keys(env)) {
    const match = /^AWS_ENDPOINT_URL_([A-Z0-9_]+)$/.exec(name);
    if (!match || !env[name]) continue;
    const service = match[1].toLowerCase().replace(/_/g, "");
    const current = AWS.config[service];
    AWS.config[service] = Object.assign({ endpoint: env[name] }, current);
  }
}

// v2's loader module: once it has run, `module.exports` is the AWS namespace with a fresh global config.
const LOADER = /[\\/]aws-sdk[\\/]lib[\\/]node_loader\.js$/;

/**
 * Hooks module loading so that `aws-sdk`, if the handler loads it, is configured before the handler's code
 * sees it. ESM imports of CommonJS packages load through Module.prototype.load too.
 */
export function configureSdkV2WhenLoaded(env) {
  if (!Object.keys(env).some((name) => name.startsWith("AWS_ENDPOINT_URL_"))) return;
  const load = Module.prototype.load;
  Module.prototype.load = function loadAndConfigure(filename) {
    const result = load.call(this, filename);
    if (LOADER.test(filename)) pointSdkV2AtLocalEndpoints(this.exports, env);
    return result;
  };
}
