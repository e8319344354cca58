import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { nextFire, parseSchedule } from "../../src/manifest/schedule-expression.js";

const at = (iso: string) => Date.parse(iso);

function schedule(expression: string) {
  const parsed = parseSchedule(expression);
  assert.ok(parsed.ok, `${expression}: ${parsed.ok ? "" : parsed.error}`);
  return parsed.schedule;
}

describe("EventBridge schedule expressions", () => {
  test("rates fire every period from their start", () => {
    const start = at("2022-01-01T00:00:00Z");
    assert.equal(nextFire(schedule("rate(5 minutes)"), start, start), at("2022-01-01T00:05:00Z"));
    assert.equal(nextFire(schedule("rate(1 hour)"), at("2022-01-01T00:59:59Z"), start), at("2022-01-01T01:00:00Z"));
    assert.equal(nextFire(schedule("rate(2 days)"), at("2022-01-02T10:00:00Z"), start), at("2022-01-03T00:00:00Z"));
  });

  test("cron fields: minutes, hours, day of month or week, named months and days, in UTC", () => {
    assert.equal(nextFire(schedule("cron(15 2 * * ? *)"), at("2022-03-10T02:15:00Z"), 0), at("2022-03-11T02:15:00Z"));
    assert.equal(nextFire(schedule("cron(0/15 * * * ? *)"), at("2022-03-10T10:16:00Z"), 0), at("2022-03-10T10:30:00Z"));
    // 2022-03-10 is a Thursday; the next Monday is the 14th.
    assert.equal(nextFire(schedule("cron(0 9 ? * MON *)"), at("2022-03-10T10:00:00Z"), 0), at("2022-03-14T09:00:00Z"));
    assert.equal(nextFire(schedule("cron(0 3 1 JAN,JUL ? *)"), at("2022-03-10T00:00:00Z"), 0), at("2022-07-01T03:00:00Z"));
    assert.equal(nextFire(schedule("cron(0 0 1 1 ? 2021)"), at("2022-03-10T00:00:00Z"), 0), null);
  });

  test("malformed expressions are refused with a reason", () => {
    for (const bad of ["5 minutes", "rate(0 minutes)", "rate(1 minutes)", "rate(5 minute)", "cron(* * * * *)", "cron(0 9 * * MON *)", "cron(61 * * * ? *)"]) {
      assert.equal(parseSchedule(bad).ok, false, bad);
    }
  });
});
