// aws-sdk is external: it is loaded from node_modules at run time, not bundled
const { version } = require("aws-sdk/package.json");

export async function main() {
  return { statusCode: 200, body: JSON.stringify({ sdkMajor: version.split(".")[0] }) };
}
