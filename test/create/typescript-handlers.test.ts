import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import ts from "typescript";
import { scaffoldApp } from "../../src/create/scaffold-app.js";
import { TEMPLATE_NAMES } from "../../src/create/template-catalog.js";

const TYPES = new URL("../../node_modules/@types", import.meta.url).pathname;
const workspace = mkdtempSync(join(tmpdir(), "gatehouse-create-ts-"));
after(() => rmSync(workspace, { recursive: true, force: true }));

/**
 * Type errors in `files`, checked with the app's own tsconfig.json as `npm run typecheck` would after
 * `npm install`; @types come from this checkout since the app installs nothing.
 */
function typeErrors(appRoot: string, files: string[]): string[] {
  const configFile = ts.readConfigFile(join(appRoot, "tsconfig.json"), ts.sys.readFile);
  assert.equal(configFile.error, undefined, "tsconfig.json does not parse");
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, appRoot);
  assert.deepEqual(parsed.errors, [], "tsconfig.json has invalid options");
  const options = { ...parsed.options, typeRoots: [TYPES], baseUrl: appRoot, paths: { "aws-lambda": [join(TYPES, "aws-lambda")] } };
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("the TypeScript templates' handlers", () => {
  for (const template of TEMPLATE_NAMES) {
    test(`${template}: type-check against @types/aws-lambda under the app's tsconfig`, () => {
      const root = join(workspace, template);
      scaffoldApp({ dir: root, template, language: "typescript" });
      const handlers = readdirSync(join(root, "src")).map((name) => join(root, "src", name));
      assert.ok(handlers.length > 0);
      assert.deepEqual(typeErrors(root, handlers), []);
    });
  }

  test("a handler that breaks its declared type is caught by the same check", () => {
    const root = join(workspace, "broken");
    scaffoldApp({ dir: root, template: "minimal", language: "typescript" });
    const broken = join(root, "src", "lambda.ts");
    writeFileSync(broken, `import type { APIGatewayProxyHandlerV2 } from "aws-lambda";\nexport const handler: APIGatewayProxyHandlerV2 = async () => ({ statusCode: "200" });\n`);
    const errors = typeErrors(root, [broken]);
    assert.ok(errors.some((message) => message.includes("statusCode")), errors.join("\n"));
  });
});
