import assert from "node:assert/strict";
import { test } from "node:test";
import { awsRuntime, OLDEST_SUPPORTED_NODE } from "../../src/aws/aws-runtime.js";

test("runtimes AWS no longer accepts for new functions are raised, with a notice; current ones are kept", () => {
  const oldest = `nodejs${OLDEST_SUPPORTED_NODE}.x`;
  for (const old of ["nodejs12.x", "nodejs14.x", "nodejs20.x"]) {
    const { runtime, notice } = awsRuntime(old);
    assert.equal(runtime, oldest);
    assert.ok(notice?.includes(old));
  }
  for (const current of [oldest, `nodejs${OLDEST_SUPPORTED_NODE + 2}.x`]) assert.deepEqual(awsRuntime(current), { runtime: current, notice: null });
});
