#!/usr/bin/env node
// Entry point: the CLI runs from dist/, which `npm install` / `npm ci` builds (the `prepare` script).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("gatehouse: dist/ is missing. Run `npm ci` (or `npm run build`) in the gatehouse checkout.");
  process.exit(1);
}
await import(main.href);
