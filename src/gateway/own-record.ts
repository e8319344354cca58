/** Sets `record[key]` as an own property, even for keys like `__proto__` that plain assignment would swallow. */
export function setOwn(record: Record<string, string>, key: string, value: string): void {
  if (key === "__proto__") Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** Reads an own property only, so `constructor` or `toString` never come from the prototype. */
export function getOwn(record: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
