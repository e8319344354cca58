/**
 * EventBridge schedule expressions, as `sst.Cron` passes them on (docs/sst-apps.md, "Cron"): `rate(5 minutes)`
 * and `cron(minutes hours day-of-month month day-of-week year)`, in UTC. `nextFire` answers when the schedule
 * next fires after a given instant, so a scheduler can run on any clock.
 */

type Field = Set<number> | "any";

export type Schedule =
  | { kind: "rate"; everyMs: number }
  | { kind: "cron"; minutes: Field; hours: Field; days: Field; months: Field; weekDays: Field; years: Field };

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEK_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Parses an expression; returns a message saying what is wrong instead of throwing. */
export function parseSchedule(expression: string): { ok: true; schedule: Schedule } | { ok: false; error: string } {
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression);
  if (rate) {
    const amount = Number(rate[1]);
    const unit = rate[2].replace(/s$/, "");
    if (amount <= 0) return { ok: false, error: `"${expression}": the rate must be positive` };
    if ((amount === 1) !== !rate[2].endsWith("s")) return { ok: false, error: `"${expression}": write "1 ${unit}" or "${amount} ${unit}s"` };
    return { ok: true, schedule: { kind: "rate", everyMs: amount * UNIT_MS[unit] } };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return { ok: false, error: `"${expression}" is neither rate(...) nor cron(...)` };
  const parts = cron[1].trim().split(/\s+/);
  if (parts.length !== 6) return { ok: false, error: `"${expression}": cron takes six fields (minutes hours day month weekday year)` };
  try {
    const [minutes, hours, days, months, weekDays, years] = [
      field(parts[0], 0, 59),
      field(parts[1], 0, 23),
      field(parts[2], 1, 31),
      field(parts[3], 1, 12, MONTHS),
      field(parts[4], 1, 7, WEEK_DAYS),
      field(parts[5], 1970, 2199),
    ];
    if (parts[2] !== "?" && parts[4] !== "?") {
      return { ok: false, error: `"${expression}": one of day-of-month and day-of-week must be "?"` };
    }
    return { ok: true, schedule: { kind: "cron", minutes, hours, days, months, weekDays, years } };
  } catch (err) {
    return { ok: false, error: `"${expression}": ${(err as Error).message}` };
  }
}

/** The first instant strictly after `afterMs` at which the schedule fires. `startMs` anchors rates. */
export function nextFire(schedule: Schedule, afterMs: number, startMs: number): number | null {
  if (schedule.kind === "rate") {
    const elapsed = Math.max(0, afterMs - startMs);
    return startMs + (Math.floor(elapsed / schedule.everyMs) + 1) * schedule.everyMs;
  }
  const date = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
  // Bounded: five years of minutes, skipping whole days and hours that cannot match.
  for (let steps = 0; steps < 5 * 366 * 24 * 60; steps++) {
    const day = date.getUTCDate();
    const dayMatches =
      has(schedule.months, date.getUTCMonth() + 1) && has(schedule.years, date.getUTCFullYear()) && has(schedule.days, day) && has(schedule.weekDays, date.getUTCDay() + 1);
    if (!dayMatches) {
      date.setUTCHours(24, 0, 0, 0);
      continue;
    }
    if (!has(schedule.hours, date.getUTCHours())) {
      date.setUTCHours(date.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (has(schedule.minutes, date.getUTCMinutes())) return date.getTime();
    date.setUTCMinutes(date.getUTCMinutes() + 1, 0, 0);
  }
  return null;
}

function has(field: Field, value: number): boolean {
  return field === "any" || field.has(value);
}

function field(text: string, min: number, max: number, names: string[] = []): Field {
  if (text === "*" || text === "?") return "any";
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const number = named >= 0 ? named + min : Number(token);
    if (!Number.isInteger(number) || number < min || number > max) throw new Error(`"${token}" is out of range ${min}-${max}`);
    return number;
  };
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`bad step in "${part}"`);
    const [from, to] = range === "*" ? [min, max] : range.includes("-") ? range.split("-").map(value) : [value(range), stepText === undefined ? value(range) : max];
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}
