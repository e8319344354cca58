import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { memoryLogger } from "../../src/log.js";
import { CUT_MARK, FunctionLog, type FunctionLogLine, LineSplitter } from "../../src/runtime/function-log.js";
import { FunctionRuntime } from "../../src/runtime/function-runtime.js";
import { bundleDir, payloadOf } from "./handler-bundles.js";

describe("LineSplitter", () => {
  it("holds at most the cap of an unfinished line and passes longer ones on in pieces marked as cut", () => {
    const lines: Array<[string, boolean]> = [];
    const splitter = new LineSplitter(1000, (text, cut) => lines.push([text, cut]));
    for (let i = 0; i < 50; i++) {
      splitter.write(Buffer.from("x".repeat(777)));
      assert.ok(splitter.held <= 1000, `held ${splitter.held}`);
    }
    splitter.write("tail\nnext line\r\n");
    assert.ok(lines.every(([text]) => text.length <= 1000));
    assert.deepEqual(lines.slice(-2), [
      [lines.at(-2)![0], false],
      ["next line", false],
    ]);
    assert.ok(lines.slice(0, -2).every(([, cut]) => cut), "every piece but the line's last is marked cut");
    assert.equal(lines.slice(0, -1).map(([text]) => text).join(""), `${"x".repeat(50 * 777)}tail`, "nothing lost or repeated");
  });

  it("splits a chunk of many lines, keeps a line across chunks, and decodes characters split between chunks", () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(1000, (text) => lines.push(text));
    const euro = Buffer.from("€");
    splitter.write(Buffer.concat([Buffer.from("a\nb\n\nc"), euro.subarray(0, 1)]));
    splitter.write(Buffer.concat([euro.subarray(1), Buffer.from("d\ne")]));
    splitter.end();
    assert.deepEqual(lines, ["a", "b", "", "c€d", "e"]);
  });
});

describe("FunctionLog", () => {
  it("throttles a flooding function, reporting it once, and passes every line on to onLog with its request id", () => {
    const logger = memoryLogger();
    const seen: FunctionLogLine[] = [];
    const log = new FunctionLog({
      functionId: "fn",
      handler: "src/fn.main",
      logger,
      limits: { maxLineChars: 100, charsPerSecond: 1000 },
      appRoot: "/home/me/app",
      onLog: (line) => seen.push(line),
    });
    log.line("stdout", "req-1", "INFO", "at main (/home/me/app/src/private.js:5:9)");
    assert.deepEqual(seen[0], { functionId: "fn", requestId: "req-1", stream: "stdout", level: "INFO", text: "at main (src/private.js:5:9)" });
    assert.equal(logger.lines[0], "[src/fn.main] req-1 INFO at main (src/private.js:5:9)");
    for (let i = 0; i < 100; i++) log.line("stdout", "req-1", "INFO", "y".repeat(250));
    const reports = logger.lines.filter((line) => line.includes("logs more than 1000 characters per second"));
    assert.equal(reports.length, 1);
    const passed = logger.lines.filter((line) => line.includes("yyy"));
    assert.ok(passed.length > 0 && passed.length <= 12, `${passed.length} pieces passed`);
    assert.ok(passed.slice(0, 2).every((line) => line.endsWith(CUT_MARK)), "a 250-character line goes in cut pieces of 100");
  });
});

describe("a handler flooding stdout without newlines", () => {
  const bundles = bundleDir();
  const logger = memoryLogger();
  const runtime = new FunctionRuntime({ logger, logLimits: { maxLineChars: 64 * 1024, charsPerSecond: 256 * 1024 } });

  before(async () => {
    // 100 MB in 64 kB writes, never a newline, in bursts of 1 MB a couple of milliseconds apart, so the flood
    // lasts while others are served even on a machine fast enough to write it all within one of their calls.
    bundles.write(
      "flood",
      `const block = "z".repeat(64 * 1024);
      export const main = async () => {
        for (let mb = 0; mb < 100; mb++) {
          for (let i = 0; i < 16; i++) process.stdout.write(block);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        return "flooded";
      };`,
    );
    bundles.write("public", `export const main = async () => ({ statusCode: 200, body: "public" });`);
    runtime.deploy(bundles.spec("flood", { timeoutMs: 60_000 }));
    runtime.deploy(bundles.spec("public"));
    await Promise.all([runtime.prewarm("flood"), runtime.prewarm("public")]);
  });
  after(async () => {
    await runtime.close();
    bundles.remove();
  });

  it("is cut into bounded pieces and throttled, reported once, while its neighbour keeps answering", async () => {
    let flooded = false;
    const flood = runtime.invoke("flood", {}).then((outcome) => {
      flooded = true;
      return outcome;
    });
    let answeredDuringFlood = 0;
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(payloadOf(await runtime.invoke("public", {})), { statusCode: 200, body: "public" });
      if (!flooded) answeredDuringFlood++;
    }
    assert.equal(payloadOf(await flood), "flooded");
    assert.ok(answeredDuringFlood > 0, "the neighbour answered while the flood went on");
    const pieces = logger.lines.filter((line) => line.startsWith("[src/flood.main] zzz"));
    assert.ok(pieces.length > 0, "the flood's output is passed on in pieces, not held until a newline");
    assert.ok(pieces.every((line) => line.length <= "[src/flood.main] ".length + 64 * 1024 + CUT_MARK.length));
    assert.ok(pieces.every((line) => line.endsWith(CUT_MARK)));
    assert.ok(pieces.length * 64 * 1024 < 50 * 1024 * 1024, `${pieces.length} pieces of 64 kB passed: the flood was not throttled`);
    // Reported once per flood: a second report only follows a second during which the function kept within the
    // limit (a busy machine can pause the worker that long), which ends the first flood with its count.
    const reports = logger.lines.filter((line) => line.includes("characters per second")).length;
    const resumed = logger.lines.filter((line) => line.includes("log output resumed")).length;
    assert.ok(reports >= 1 && reports <= resumed + 1, `${reports} reports, ${resumed} resumptions`);
  });
});

describe("one huge console call or write", () => {
  const bundles = bundleDir();
  const logger = memoryLogger();
  const runtime = new FunctionRuntime({ logger, logLimits: { maxLineChars: 10_000, charsPerSecond: 50_000 } });
  after(async () => {
    await runtime.close();
    bundles.remove();
  });

  it("is cut in the worker to half a second's allowance, saying how much was dropped", async () => {
    bundles.write(
      "huge",
      `export const main = async () => {
        console.log("a".repeat(5_000_000));
        process.stdout.write("b".repeat(5_000_000) + "\\n");
        return "logged";
      };`,
    );
    runtime.deploy(bundles.spec("huge"));
    assert.equal(payloadOf(await runtime.invoke("huge", {}, { requestId: "req-huge" })), "logged");
    const text = logger.lines.join("\n");
    assert.ok(text.includes("[cut: 4975000 more characters dropped]"), "the console call says what it lost");
    const logged = logger.lines.filter((line) => /aaaa|bbbb/.test(line)).reduce((sum, line) => sum + line.length, 0);
    assert.ok(logged <= 2 * 60_000, `${logged} characters logged`);
  });
});
