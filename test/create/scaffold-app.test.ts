import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../src/app/load-config.js";
import { synthApp } from "../../src/app/synth-app.js";
import { scaffoldApp } from "../../src/create/scaffold-app.js";
import { LANGUAGES, parseLanguage, parseTemplateName, TEMPLATE_NAMES } from "../../src/create/template-catalog.js";
import { EXAMPLE_APP } from "../support/temp-app.js";

const workspace = mkdtempSync(join(tmpdir(), "gatehouse-create-"));
after(() => rmSync(workspace, { recursive: true, force: true }));

let sequence = 0;
/** A fresh path inside the workspace whose last segment is `name`. */
function freshDir(name: string): string {
  return join(workspace, String(++sequence), name);
}

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.includes(".gatehouse"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

function json(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8"));
}

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail("expected gatehouse create to refuse");
}

describe("scaffolding the default template", () => {
  const dir = freshDir("my-api");
  const app = scaffoldApp({ dir });

  test("writes the walkthrough app in JavaScript, named after the directory", () => {
    assert.equal(app.template, "api-auth-jwt-auth0");
    assert.equal(app.language, "javascript");
    assert.equal(app.name, "my-api");
    const expected = [".gitignore", "package.json", "src/private.js", "src/public.js", "sst.json", "stacks/MyStack.js", "stacks/index.js"];
    assert.deepEqual(app.files, expected);
    assert.deepEqual(listFiles(dir), expected);
    assert.deepEqual(json(join(dir, "sst.json")), { name: "my-api", stage: "dev", region: "us-east-1" });
    assert.equal(json(join(dir, "package.json")).name, "my-api");
  });

  test("writes the same files as examples/api-auth-jwt-auth0, apart from the name", () => {
    for (const file of listFiles(EXAMPLE_APP)) {
      const example = readFileSync(join(EXAMPLE_APP, file), "utf8").replaceAll('"api-auth-jwt-auth0"', '"my-api"');
      assert.equal(readFileSync(join(dir, file), "utf8"), example, `${file} differs from the example`);
    }
    assert.deepEqual(listFiles(EXAMPLE_APP), app.files);
  });

  test("the written app synthesizes to the walkthrough's routes and authorizer", async () => {
    const { manifest } = await synthApp(loadConfig(dir));
    assert.equal(manifest.stacks[0].name, "dev-my-api-my-stack");
    const [api] = manifest.apis;
    assert.deepEqual(
      api.routes.map((route) => [route.key, route.authorizationType]),
      [
        ["GET /private", "JWT"],
        ["GET /public", "NONE"],
      ],
    );
    const authorizer = api.authorizers.Authorizer;
    assert.equal(authorizer.type === "JWT" ? authorizer.issuer : authorizer.type, "https://myorg.us.auth0.com/");
  });
});

describe("every template in every language", () => {
  const expectedRoutes: Record<string, string[][]> = {
    "api-auth-jwt-auth0": [
      ["GET /private", "JWT"],
      ["GET /public", "NONE"],
    ],
    minimal: [["GET /", "NONE"]],
  };
  for (const template of TEMPLATE_NAMES) {
    for (const language of LANGUAGES) {
      test(`${template} in ${language} synthesizes with its handlers in ${language}`, async () => {
        const dir = freshDir(`${template}-${language}`);
        const app = scaffoldApp({ dir, template, language });
        const ext = language === "typescript" ? ".ts" : ".js";
        assert.ok(app.files.includes(`stacks/index${ext}`) && app.files.includes(`stacks/MyStack${ext}`), app.files.join(", "));
        assert.equal(app.files.includes("tsconfig.json"), language === "typescript");
        assert.ok(app.files.includes(".gitignore"));
        assert.equal(app.files.filter((file) => /\.(js|ts)$/.test(file) && !file.endsWith(ext)).length, 0);
        const { manifest } = await synthApp(loadConfig(dir));
        assert.equal(manifest.app.name, `${template}-${language}`);
        assert.deepEqual(
          manifest.apis[0].routes.map((route) => [route.key, route.authorizationType]),
          expectedRoutes[template],
        );
        for (const fn of Object.values(manifest.functions)) assert.ok(fn.entry.endsWith(ext), fn.entry);
      });
    }
  }

  test("the TypeScript apps list @types/aws-lambda and import its handler types as types only", () => {
    for (const template of TEMPLATE_NAMES) {
      const dir = freshDir(`${template}-types`);
      scaffoldApp({ dir, template, language: "typescript" });
      const devDependencies = json(join(dir, "package.json")).devDependencies as Record<string, string>;
      assert.ok(devDependencies["@types/aws-lambda"], `${template}: @types/aws-lambda missing`);
      for (const file of listFiles(join(dir, "src"))) {
        assert.match(readFileSync(join(dir, "src", file), "utf8"), /^import type \{ APIGatewayProxyHandlerV2\w* \} from "aws-lambda";$/m, file);
      }
    }
    const auth = freshDir("auth-types");
    scaffoldApp({ dir: auth, language: "typescript" });
    assert.match(readFileSync(join(auth, "src/private.ts"), "utf8"), /: APIGatewayProxyHandlerV2WithJWTAuthorizer = /);
    assert.match(readFileSync(join(auth, "src/public.ts"), "utf8"), /: APIGatewayProxyHandlerV2 = /);
  });
});

describe("where the app is written", () => {
  test("an existing empty directory is used", () => {
    const dir = freshDir("empty");
    mkdirSync(dir, { recursive: true });
    const app = scaffoldApp({ dir, template: "minimal" });
    assert.deepEqual(listFiles(dir), app.files);
  });

  test("missing parent directories are created", () => {
    const dir = join(freshDir("deep"), "a", "b", "svc");
    const app = scaffoldApp({ dir, template: "minimal" });
    assert.equal(app.name, "svc");
    assert.equal(json(join(dir, "sst.json")).name, "svc");
  });

  test("the name is sanitized for sst.json and lowercased for package.json", () => {
    const dir = freshDir("My API_v2");
    const app = scaffoldApp({ dir });
    assert.equal(app.name, "My-API-v2");
    assert.equal(json(join(dir, "sst.json")).name, "My-API-v2");
    assert.equal(json(join(dir, "package.json")).name, "my-api-v2");
    assert.equal(loadConfig(dir).name, "My-API-v2");
  });
});

describe("refusals", () => {
  test("a non-empty directory is refused, naming it and the fix, and left untouched", () => {
    const dir = freshDir("taken");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "notes.txt"), "mine");
    const err = refusal(() => scaffoldApp({ dir }));
    assert.equal(err.code, "GH_ERR_CONFIG_INVALID");
    assert.ok(err.message.includes(dir), err.message);
    assert.match(err.message, /not empty \(it holds notes\.txt\)\. Fix: /);
    assert.deepEqual(readdirSync(dir), ["notes.txt"]);
    assert.equal(readFileSync(join(dir, "notes.txt"), "utf8"), "mine");
  });

  test("a directory holding only a hidden file is not empty", () => {
    const dir = freshDir("hidden");
    mkdirSync(join(dir, ".git"), { recursive: true });
    assert.equal(refusal(() => scaffoldApp({ dir })).code, "GH_ERR_CONFIG_INVALID");
  });

  test("a path that is a file is refused", () => {
    const dir = freshDir("a-file");
    mkdirSync(join(dir, ".."), { recursive: true });
    writeFileSync(dir, "not a directory");
    const err = refusal(() => scaffoldApp({ dir }));
    assert.equal(err.code, "GH_ERR_CONFIG_INVALID");
    assert.match(err.message, /exists and is not a directory/);
    assert.equal(readFileSync(dir, "utf8"), "not a directory");
  });

  test("a directory below a file cannot be created, and says so without a crash", () => {
    const file = freshDir("blocker");
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, "");
    const err = refusal(() => scaffoldApp({ dir: join(file, "app") }));
    assert.equal(err.code, "GH_ERR_CONFIG_INVALID");
    assert.match(err.message, /^Cannot create .*app \(ENOTDIR\)\. Fix: /);
  });

  test("an unknown template or language is FLAG_INVALID listing the choices", () => {
    const template = refusal(() => parseTemplateName("nextjs"));
    assert.equal(template.code, "GH_ERR_FLAG_INVALID");
    assert.equal(template.message, '--template "nextjs" is not a template. Choose one of: api-auth-jwt-auth0 (default), minimal.');
    const language = refusal(() => parseLanguage("python"));
    assert.equal(language.code, "GH_ERR_FLAG_INVALID");
    assert.equal(language.message, '--language "python" is not a language. Choose one of: javascript (default), typescript.');
    assert.equal(parseTemplateName("minimal"), "minimal");
    assert.equal(parseLanguage("typescript"), "typescript");
  });
});
