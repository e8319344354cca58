/** CDK's Duration, as much of it as stacks use to size timeouts and cache ages. */
export class Duration {
  private constructor(private readonly seconds: number) {}
  static seconds(amount: number): Duration {
    return new Duration(amount);
  }
  static minutes(amount: number): Duration {
    return new Duration(amount * 60);
  }
  static hours(amount: number): Duration {
    return new Duration(amount * 3600);
  }
  static days(amount: number): Duration {
    return new Duration(amount * 86400);
  }
  static millis(amount: number): Duration {
    return new Duration(amount / 1000);
  }
  toSeconds(): number {
    return this.seconds;
  }
  toMilliseconds(): number {
    return this.seconds * 1000;
  }
  toMinutes(): number {
    return this.seconds / 60;
  }
  toHours(): number {
    return this.seconds / 3600;
  }
  toDays(): number {
    return this.seconds / 86400;
  }
  plus(other: Duration): Duration {
    return new Duration(this.seconds + other.toSeconds());
  }
  toHumanString(): string {
    return `${this.seconds} seconds`;
  }
  toString(): string {
    return this.toHumanString();
  }
}

const UNIT_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

/** Seconds from a number, a Duration, or SST's `"10 seconds"` strings; null when it is none of those. */
export function toSeconds(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (value && typeof (value as Duration).toSeconds === "function") return (value as Duration).toSeconds();
  if (typeof value === "string") {
    const match = /^(\d+(?:\.\d+)?)\s*(second|minute|hour|day)s?$/.exec(value.trim());
    if (match) return Number(match[1]) * UNIT_SECONDS[match[2]];
  }
  return null;
}
