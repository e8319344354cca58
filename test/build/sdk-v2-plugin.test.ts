import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, test } from "node:test";
import { FunctionBundler } from "../../src/build/function-bundler.js";
import type { FunctionManifest } from "../../src/manifest/manifest.js";
import { configureSdkV2WhenLoaded, pointSdkV2AtLocalEndpoints } from "../../src/runtime/sdk-v2-endpoints.js";
import { functionManifest } from "../support/manifests.js";
import { tempApp } from "../support/temp-app.js";

// A stand-in for aws-sdk v2 with the same layout where it matters: main lib/aws.js, global config made by
// lib/node_loader.js, services reading AWS.config[serviceIdentifier].
const FAKE_SDK = {
  "node_modules/aws-sdk/package.json": JSON.stringify({ name: "aws-sdk", main: "lib/aws.js" }),
  "node_modules/aws-sdk/lib/aws.js": `module.exports = require("./node_loader");\nmodule.exports.marker = "FAKE_SDK_V2_BODY";\n`,
  "node_modules/aws-sdk/lib/node_loader.js": `var AWS = { config: {} };
AWS.DynamoDB = function (options) { this.endpoint = (options && options.endpoint) || (AWS.config.dynamodb || {}).endpoint || "https://dynamodb.amazonaws.com"; };
module.exports = AWS;
`,
};

const app = tempApp({
  "sst.json": "{}",
  "src/named.js": `import { DynamoDB } from "aws-sdk";\nconst client = new DynamoDB();\nexport async function main() { return client.endpoint; }\n`,
  "src/default.js": `import AWS from "aws-sdk";\nexport async function main() { return new AWS.DynamoDB().endpoint; }\n`,
  ...FAKE_SDK,
});
after(() => app.remove());

function fn(id: string, file: string): FunctionManifest {
  return functionManifest(id, file);
}

test("a service-specific endpoint variable becomes v2's service default, and the app's own setting wins", () => {
  const AWS = { config: {} as Record<string, any> };
  pointSdkV2AtLocalEndpoints(AWS, { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1", AWS_REGION: "x" });
  assert.deepEqual(AWS.config.dynamodb, { endpoint: "http://127.0.0.1:1" });
  const configured = { config: { dynamodb: { endpoint: "http://127.0.0.1:9" } } as Record<string, any> };
  pointSdkV2AtLocalEndpoints(configured, { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1" });
  assert.equal(configured.config.dynamodb.endpoint, "http://127.0.0.1:9");
});

test("bundled mode: v2 is inside the bundle and configured from the environment when it loads", async () => {
  const bundler = new FunctionBundler({ root: app.root, outDir: join(app.root, ".gatehouse/bundled"), sdkV2: "bundled" });
  try {
    const build = await bundler.build([fn("named", "src/named.js")]);
    assert.match(readFileSync(build.functions.named.bundlePath, "utf8"), /FAKE_SDK_V2_BODY/);
    process.env.AWS_ENDPOINT_URL_DYNAMODB = "http://127.0.0.1:7000";
    const named = await import(pathToFileURL(build.functions.named.bundlePath).href);
    assert.equal(await named.main(), "http://127.0.0.1:7000");
  } finally {
    delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    await bundler.dispose();
  }
});

test("external mode (default): v2 stays out of the bundle, named and default imports work, and the runtime's hook configures it", async () => {
  const bundler = new FunctionBundler({ root: app.root, outDir: join(app.root, ".gatehouse/external") });
  try {
    const build = await bundler.build([fn("named", "src/named.js"), fn("default", "src/default.js")]);
    for (const id of ["named", "default"]) {
      assert.doesNotMatch(readFileSync(build.functions[id].bundlePath, "utf8"), /FAKE_SDK_V2_BODY/, `${id}: the SDK is not bundled`);
    }
    // What a handler's worker does before importing the bundle (lambda-worker.js).
    configureSdkV2WhenLoaded({ AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:7001" });
    const named = await import(pathToFileURL(build.functions.named.bundlePath).href);
    assert.equal(await named.main(), "http://127.0.0.1:7001");
    const defaultImport = await import(pathToFileURL(build.functions.default.bundlePath).href);
    assert.equal(await defaultImport.main(), "http://127.0.0.1:7001");
  } finally {
    await bundler.dispose();
  }
});
