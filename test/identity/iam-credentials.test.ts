import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { isGatehouseError } from "../../src/errors.js";
import { IamCredentialStore, iamCredentialsFile } from "../../src/identity/iam-credentials.js";

describe("a stage's local IAM key pairs", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-iam-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the first key pair is made once, shaped like AWS's, and found by its access key id", () => {
    const store = new IamCredentialStore(iamCredentialsFile(dir));
    assert.deepEqual(store.list(), []);
    const first = store.ensureOne();
    assert.match(first.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(first.secretAccessKey.length, 40);
    assert.equal(first.userArn, "arn:aws:iam::123456789012:user/gatehouse-dev");
    assert.deepEqual(store.ensureOne(), first);
    assert.deepEqual(store.lookup(first.accessKeyId), first);
    assert.equal(store.lookup("AKIAUNKNOWN"), undefined);
  });

  test("a key pair minted by another process (another store on the same file) is found at once", () => {
    const gateway = new IamCredentialStore(iamCredentialsFile(dir));
    gateway.list();
    const minted = new IamCredentialStore(iamCredentialsFile(dir)).mint("ci-bot");
    assert.equal(gateway.lookup(minted.accessKeyId)?.userArn, "arn:aws:iam::123456789012:user/ci-bot");
    assert.equal(gateway.list().length, 2);
  });

  test("a bad user name or a damaged file is a user error with its code", () => {
    const store = new IamCredentialStore(iamCredentialsFile(dir));
    assert.throws(() => store.mint("has spaces"), (err) => isGatehouseError(err, "GH_ERR_IDP_INVALID"));
    const damaged = join(dir, "damaged.json");
    writeFileSync(damaged, "{ not json");
    assert.throws(() => new IamCredentialStore(damaged).lookup("x"), (err) => isGatehouseError(err, "GH_ERR_IDP_INVALID"));
  });
});
