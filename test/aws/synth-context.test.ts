import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCdk } from "../../src/aws/cdk-modules.js";
import { SynthContext } from "../../src/aws/synth-context.js";
import { emptyManifest } from "../support/manifests.js";
import { tableArn, tableStreamArn } from "../../src/manifest/table-arns.js";
import { unemulatedToken } from "../../src/manifest/tokens.js";

test("local ARNs of the app's resources become the real ones, whole names only; local-only tokens are refused", async () => {
  const ctx = new SynthContext(await loadCdk(), emptyManifest());
  const notes = tableArn("eu-west-1", "prod-app-notes");
  ctx.addLocalName(notes, "<notes>");
  ctx.addLocalName(tableStreamArn("eu-west-1", "prod-app-notes"), "<notes-stream>");
  assert.equal(ctx.resolve(notes, "grant"), "<notes>");
  assert.equal(ctx.resolve(`${notes}/*`, "grant"), "<notes>/*");
  assert.equal(ctx.resolve(`${notes}/index/byOwner`, "grant"), "<notes>/index/byOwner");
  assert.equal(ctx.resolve(tableStreamArn("eu-west-1", "prod-app-notes"), "env"), "<notes-stream>");
  assert.equal(ctx.resolve(`${notes}-archive`, "grant"), `${notes}-archive`, "another table's ARN was rewritten");
  assert.equal(ctx.resolve("arn:aws:s3:::assets/*", "grant"), "arn:aws:s3:::assets/*");
  assert.throws(
    () => ctx.resolve(unemulatedToken("files/Uploads.bucketArn"), "grant"),
    (err: { code?: string }) => err.code === "GH_ERR_AWS_UNSUPPORTED",
  );
});
