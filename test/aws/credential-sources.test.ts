import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { findCredentialSource, requireCredentials } from "../../src/aws/credential-sources.js";
import { isGatehouseError } from "../../src/errors.js";

const home = mkdtempSync(join(tmpdir(), "gatehouse-aws-home-"));
after(() => rmSync(home, { recursive: true, force: true }));

function writeAws(file: "credentials" | "config", text: string): void {
  mkdirSync(join(home, ".aws"), { recursive: true });
  writeFileSync(join(home, ".aws", file), text);
}

test("nothing anywhere: none found, and requireCredentials throws the coded error", () => {
  assert.equal(findCredentialSource({}, home), null);
  assert.throws(() => requireCredentials({}, home), (err) => isGatehouseError(err, "GH_ERR_AWS_NO_CREDENTIALS"));
});

test("environment keys count only when both are set and non-empty", () => {
  assert.equal(findCredentialSource({ AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "" }, home), null);
  assert.match(findCredentialSource({ AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "s" }, home) ?? "", /environment/);
});

test("the default profile in ~/.aws/credentials; another profile only when AWS_PROFILE names it", () => {
  writeAws("credentials", "[work]\naws_access_key_id = AKIA\naws_secret_access_key = s\n");
  assert.equal(findCredentialSource({}, home), null);
  assert.match(findCredentialSource({ AWS_PROFILE: "work" }, home) ?? "", /profile "work"/);
  rmSync(join(home, ".aws", "credentials"));
});

test("an SSO profile in ~/.aws/config", () => {
  writeAws("config", "# comment\n[profile dev-sso]\nsso_session = corp\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n");
  assert.equal(findCredentialSource({}, home), null, "a region alone is no credential");
  assert.match(findCredentialSource({ AWS_PROFILE: "dev-sso" }, home) ?? "", /profile "dev-sso" in .*config/);
});

test("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE move the files", () => {
  const file = join(home, "elsewhere");
  writeFileSync(file, "[default]\naws_access_key_id = AKIA\n");
  assert.match(findCredentialSource({ AWS_SHARED_CREDENTIALS_FILE: file }, home) ?? "", /elsewhere/);
});
