import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isGatehouseError } from "../../src/errors.js";
import { MAX_EMAIL_LENGTH, emailProblem } from "../../src/identity/email-address.js";
import { TenantStore } from "../../src/identity/tenant-store.js";
import { escapeControls } from "../../src/terminal-text.js";
import { CLIENT_ID, type TestTenant, startTestTenant } from "./tenant-fixture.js";

const PASSWORD = "Str0ng-enough";

// Addresses sign-up and `idp users add` must refuse (docs/identity-input.md), each for one reason.
const REFUSED: Record<string, string> = {
  "NUL byte": "ann\u0000@example.com",
  "ANSI escape": "\u001b[31mred@example.com",
  "newline (log forging)": "ann@example.com\nadmin@example.com",
  "bidi override": "ann\u202e@example.com",
  "HTML angle brackets": "<script>alert(1)</script>@example.com",
  "angle brackets around an address": "Ann <ann@example.com>",
  "60 KB": `${"a".repeat(60 * 1024)}@example.com`,
  "one over the total limit": `${"a".repeat(64)}@${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.${"e".repeat(MAX_EMAIL_LENGTH - 248 + 1)}`,
  "local part over 64": `${"a".repeat(65)}@example.com`,
  "no @": "ann.example.com",
  "two @": "ann@bob@example.com",
  "no domain dot": "ann@localhost",
  "space inside": "ann smith@example.com",
  "empty local part": "@example.com",
  "domain label starting with a hyphen": "ann@-example.com",
  "double dot": "ann..smith@example.com",
};

const ACCEPTED = ["ann@example.com", "Ann.Lopez+news@mail.example.co.uk", "o'brien@example.ie", "josé@exämple.com", `${"a".repeat(64)}@example.com`,
  // Exactly at the limit: 64 + 1 + 3 × 60 + 3 dots + 6.
  `${"a".repeat(64)}@${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.${"e".repeat(6)}`,
];

describe("e-mail addresses as Auth0 accepts them", () => {
  it("the over-long case is exactly one character over the limit", () => {
    assert.equal(REFUSED["one over the total limit"].length, MAX_EMAIL_LENGTH + 1);
  });

  for (const email of ACCEPTED) {
    it(`accepts ${email}`, () => assert.equal(emailProblem(email), null));
  }

  describe("idp users add (TenantStore.addUser)", () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-email-"));
    const store = new TenantStore(dir);
    after(() => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const [reason, email] of Object.entries(REFUSED)) {
      it(`refuses ${reason} with GH_ERR_EMAIL_INVALID and stores nothing`, async () => {
        await assert.rejects(store.addUser({ email, password: PASSWORD }), (err) => isGatehouseError(err, "GH_ERR_EMAIL_INVALID"));
        assert.equal(store.listUsers().length, 0);
      });
    }

    it("names the refused address without its control characters", async () => {
      const err = await store.addUser({ email: "\u001b]0;pwned\u0007x@example.com", password: PASSWORD }).catch((e: Error) => e);
      assert.ok(isGatehouseError(err, "GH_ERR_EMAIL_INVALID"));
      assert.doesNotMatch(err.message, /[\u0000-\u001f\u007f]/);
    });

    it("adds a valid address", async () => {
      const user = await store.addUser({ email: "ann@example.com", password: PASSWORD });
      assert.equal(user.email, "ann@example.com");
    });
  });

  describe("POST /dbconnections/signup", () => {
    let tenant: TestTenant;
    before(async () => {
      tenant = await startTestTenant();
    });
    after(() => tenant.close());

    const signup = (email: string) =>
      fetch(new URL("dbconnections/signup", tenant.idp.url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_id: CLIENT_ID, connection: "Username-Password-Authentication", email, password: PASSWORD }),
      });

    for (const [reason, email] of Object.entries(REFUSED)) {
      it(`answers 400 invalid_signup for ${reason}, without echoing it`, async () => {
        const before = tenant.idp.store.listUsers().length;
        const response = await signup(email);
        assert.equal(response.status, 400);
        const body = (await response.json()) as { code: string; description: string };
        assert.equal(body.code, "invalid_signup");
        assert.ok(!body.description.includes(email), "the answer does not echo the address");
        assert.equal(tenant.idp.store.listUsers().length, before);
      });
    }

    it("still signs a valid address up", async () => {
      const response = await signup("new.person@example.com");
      assert.equal(response.status, 200);
    });
  });
});

describe("user-controlled text printed to a terminal", () => {
  it("shows control, escape and bidi characters as visible escapes", () => {
    const shown = escapeControls("a\u001b[2Jb\u0000c\u202ed\\e\u0085");
    assert.equal(shown, "a\\x1b[2Jb\\x00c\\u202ed\\\\e\\x85");
    assert.doesNotMatch(shown, /[\u0000-\u001f\u007f-\u009f\u202e]/);
  });
});
