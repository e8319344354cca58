import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const EXAMPLE_APP = new URL("../../examples/api-auth-jwt-auth0", import.meta.url).pathname;

/** A throwaway app directory: a copy of the walkthrough example, or files given inline. */
export function tempApp(files?: Record<string, string>): { root: string; write(path: string, text: string): void; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), "gatehouse-app-"));
  if (files) {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  } else {
    cpSync(EXAMPLE_APP, root, { recursive: true, filter: (src) => !src.includes(".gatehouse") });
  }
  return {
    root,
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A minimal app whose single stack is `stackBody` (the body of `main`'s stack constructor). */
export function stackApp(stackBody: string, extra: Record<string, string> = {}) {
  return tempApp({
    "sst.json": JSON.stringify({ name: "test-app", stage: "dev", region: "us-east-1" }),
    "stacks/index.js": `import * as sst from "@serverless-stack/resources";
import * as authorizers from "@aws-cdk/aws-apigatewayv2-authorizers-alpha";
class TestStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    ${stackBody}
  }
}
export default function main(app) { new TestStack(app, "test-stack"); }
`,
    "src/hello.js": `export async function main() { return { statusCode: 200, body: "hello" }; }\n`,
    ...extra,
  });
}
