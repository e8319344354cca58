import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { evaluatePolicy, glob } from "../../src/auth/iam-policy.js";

const ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/$default/GET/orders/7";
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const verdict = (document: unknown, arn = ARN) => {
  const result = evaluatePolicy(document, arn);
  return result.ok ? (result.allow ? "allow" : "deny") : "malformed";
};

describe("IAM policy evaluation for execute-api:Invoke", () => {
  test("a matching Allow allows; no match denies", () => {
    assert.equal(verdict(doc({ Effect: "Allow", Action: "execute-api:Invoke", Resource: ARN })), "allow");
    assert.equal(verdict(doc({ Effect: "Allow", Action: "execute-api:Invoke", Resource: ARN.replace("GET", "PUT") })), "deny");
    assert.equal(verdict(doc()), "deny");
  });

  test("an explicit Deny wins over any Allow", () => {
    const allowAll = { Effect: "Allow", Action: "*", Resource: "*" };
    assert.equal(verdict(doc(allowAll, { Effect: "Deny", Action: "execute-api:Invoke", Resource: "*/GET/orders/*" })), "deny");
  });

  test("* spans slashes, ? is one character; resources compare case-sensitively, actions not", () => {
    assert.equal(verdict(doc({ Effect: "Allow", Action: "execute-api:*", Resource: "arn:aws:execute-api:*:*:abc123/*" })), "allow");
    assert.equal(verdict(doc({ Effect: "Allow", Action: "EXECUTE-API:invoke", Resource: "*/orders/?" })), "allow");
    assert.equal(verdict(doc({ Effect: "Allow", Action: "execute-api:Invoke", Resource: "*/ORDERS/7" })), "deny");
    assert.equal(glob("a?c", "abbc", false), false);
  });

  test("a single Statement object and Action/Resource lists are accepted", () => {
    assert.equal(verdict({ Statement: { Effect: "Allow", Action: ["s3:GetObject", "execute-api:Invoke"], Resource: ["x", ARN] } }), "allow");
  });

  test("NotAction and NotResource are evaluated as IAM does", () => {
    assert.equal(verdict(doc({ Effect: "Allow", NotAction: "s3:*", Resource: "*" })), "allow");
    assert.equal(verdict(doc({ Effect: "Allow", Action: "*", NotResource: "*/DELETE/*" })), "allow");
    assert.equal(verdict(doc({ Effect: "Allow", Action: "*", NotResource: "*/GET/*" })), "deny");
  });

  test("a Condition fails closed: an Allow with one does not match, a Deny with one does", () => {
    const condition = { StringEquals: { "aws:SourceIp": "1.2.3.4" } };
    assert.equal(verdict(doc({ Effect: "Allow", Action: "*", Resource: "*", Condition: condition })), "deny");
    assert.equal(verdict(doc({ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: "*", Resource: "*", Condition: condition })), "deny");
  });

  test("a document without Statement, or with another Effect, is malformed", () => {
    assert.equal(verdict({ Version: "2012-10-17" }), "malformed");
    assert.equal(verdict(doc({ Effect: "allow", Action: "*", Resource: "*" })), "malformed");
    assert.equal(verdict("Allow"), "malformed");
  });
});
