import assert from "node:assert/strict";
import { test } from "node:test";
import type { IoMessage } from "@aws-cdk/toolkit-lib";
import { orderedOutputs } from "../../src/aws/aws-target.js";
import { ProgressIoHost } from "../../src/aws/progress-io-host.js";
import type { Manifest } from "../../src/manifest/manifest.js";
import { formatOutputs } from "../../src/serve/resolve-outputs.js";

function message(fields: Partial<IoMessage<unknown>>): IoMessage<unknown> {
  return { time: new Date(0), level: "info", action: "deploy", message: "", data: undefined, ...fields };
}

test("resource events print one line each; a warning the toolkit repeats is said once; debug chatter is not printed", async () => {
  const lines: string[] = [];
  const io = new ProgressIoHost((line) => lines.push(line));
  const event = (status: string, reason?: string) =>
    message({
      code: "CDK_TOOLKIT_I5502",
      data: { event: { StackName: "prod-app-api", LogicalResourceId: "ApiF70053CD", ResourceType: "AWS::ApiGatewayV2::Api", ResourceStatus: status, ResourceStatusReason: reason } },
    });
  await io.notify(event("CREATE_IN_PROGRESS", "Resource creation Initiated"));
  await io.notify(event("CREATE_FAILED", "Invalid issuer"));
  await io.notify(message({ level: "warn", message: "could not assume the deploy role" }));
  await io.notify(message({ level: "warn", message: "could not assume the deploy role" }));
  await io.notify(message({ level: "debug", message: "Reading cached notices" }));
  assert.deepEqual(lines, [
    "prod-app-api | CREATE_IN_PROGRESS | AWS::ApiGatewayV2::Api | ApiF70053CD",
    "prod-app-api | CREATE_FAILED | AWS::ApiGatewayV2::Api | ApiF70053CD (Invalid issuer)",
    "Notice: could not assume the deploy role",
  ]);
  const answer = await io.requestResponse({ ...message({}), code: "CDK_TOOLKIT_I5060", defaultResponse: false });
  assert.equal(answer, true, "the deploy the user asked for is approved");
});

test("the outputs block after an AWS deploy lists outputs in the order the stack declared them", () => {
  const manifest = {
    stacks: [{ id: "api", name: "prod-app-api", outputs: { ApiEndpoint: "x", "Api-Url": "y", Zone: "z" }, location: null }],
  } as unknown as Manifest;
  const outputs = orderedOutputs(manifest, [
    { stackName: "prod-app-api", outputs: { Zone: "eu", ApiUrl: "https://u", ApiEndpoint: "https://abc.execute-api.us-east-1.amazonaws.com" } },
  ]);
  assert.equal(
    formatOutputs(outputs),
    "Stack prod-app-api\n  Status: deployed\n  Outputs:\n    ApiEndpoint: https://abc.execute-api.us-east-1.amazonaws.com\n    Api-Url: https://u\n    Zone: eu",
  );
});
