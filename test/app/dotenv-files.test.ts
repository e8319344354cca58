import assert from "node:assert/strict";
import { after, test } from "node:test";
import { readDotenvFiles } from "../../src/app/dotenv-files.js";
import { tempApp } from "../support/temp-app.js";

const app = tempApp({
  ".env": "export A=from-env\nB='single $A'\nC=\"two\\nlines\"\nD=plain # comment\nE=$" + "{A}-expanded\nF=\\$A\n",
  ".env.local": "A=from-local\n",
  ".env.prod": "A=from-prod\nG=prod-only\n",
  ".env.prod.local": "G=prod-local\n",
});
after(() => app.remove());

test(".env files load highest priority first, never overwrite the environment, and expand $VAR", () => {
  const dev = readDotenvFiles(app.root, "dev", { D: "already-set" });
  assert.equal(dev.A, "from-local");
  assert.equal(dev.B, "single from-local");
  assert.equal(dev.C, "two\nlines");
  assert.equal(dev.D, undefined, "a variable already set is not overwritten");
  assert.equal(dev.E, "from-local-expanded");
  assert.equal(dev.F, "$A");
  const prod = readDotenvFiles(app.root, "prod", {});
  assert.equal(prod.A, "from-prod");
  assert.equal(prod.G, "prod-local");
});
