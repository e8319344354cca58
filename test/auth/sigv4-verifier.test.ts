import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { type LocalCredential, type SignedRequest, SigV4Verifier } from "../../src/auth/sigv4-verifier.js";

const USER: LocalCredential = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  userArn: "arn:aws:iam::123456789012:user/alice",
  userId: "AIDAEXAMPLEALICE0001",
};
const ROLE: LocalCredential = {
  accessKeyId: "ASIAEXAMPLEROLE00001",
  secretAccessKey: "c2VjcmV0LXJvbGUta2V5LWZvci10ZXN0cy1vbmx5LTE",
  sessionToken: "IQoJb3JpZ2luX2VjEXAMPLETOKEN==",
  userArn: "arn:aws:sts::123456789012:assumed-role/Admin/alice",
  userId: "AROAEXAMPLEROLEID0001:alice",
};
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const HOST = "127.0.0.1:4000";

/** Signs with the AWS SDK's own signer, then flattens the request as the gateway sees it. */
async function signed(
  credential: LocalCredential,
  init: { method?: string; path?: string; query?: Record<string, string>; body?: string; region?: string; service?: string; at?: number; headers?: Record<string, string> } = {},
): Promise<SignedRequest> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey, sessionToken: credential.sessionToken },
    region: init.region ?? "us-east-1",
    service: init.service ?? "execute-api",
    sha256: Hash.bind(null, "sha256"),
  });
  const request = await signer.sign(
    { method: init.method ?? "GET", protocol: "http:", hostname: "127.0.0.1", port: 4000, path: init.path ?? "/me", query: init.query ?? {}, headers: { host: HOST, ...init.headers }, body: init.body },
    { signingDate: new Date(init.at ?? NOW) },
  );
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
  const rawQueryString = new URLSearchParams(init.query ?? {}).toString().replace(/\+/g, "%20");
  return { method: request.method, rawPath: init.path ?? "/me", rawQueryString, headers, body: Buffer.from(init.body ?? "") };
}

const verifier = (now = NOW) => new SigV4Verifier({ region: "us-east-1", credentials: (id) => [USER, ROLE].find((c) => c.accessKeyId === id), now: () => now });

describe("SigV4 verification for AWS_IAM routes", () => {
  test("a request signed by the AWS SDK's signer passes, with authorizer.iam filled as AWS fills it", async () => {
    const result = await verifier().verify(await signed(USER));
    assert.deepEqual(result, {
      ok: true,
      identity: { accessKey: USER.accessKeyId, accountId: "123456789012", callerId: USER.userId, cognitoIdentity: null, principalOrgId: null, userArn: USER.userArn, userId: USER.userId },
    });
  });

  test("query strings, encoded paths, bodies and extra signed headers are covered", async () => {
    const request = await signed(USER, { method: "POST", path: "/notes/a%20b", query: { q: "x y", a: "1" }, body: '{"text":"hi"}', headers: { "content-type": "application/json" } });
    assert.equal((await verifier().verify(request)).ok, true);
    const tampered = { ...request, body: Buffer.from('{"text":"bye"}') };
    assert.equal(refusal(await verifier().verify(tampered)), "InvalidSignatureException");
  });

  test("temporary credentials need their session token", async () => {
    const request = await signed(ROLE);
    assert.equal((await verifier().verify(request)).ok, true);
    const { "x-amz-security-token": _dropped, ...headers } = request.headers;
    assert.equal(refusal(await verifier().verify({ ...request, headers })), "AccessDeniedException");
  });

  test("unsigned requests get Missing Authentication Token", async () => {
    const result = await verifier().verify({ method: "GET", rawPath: "/me", rawQueryString: "", headers: { host: HOST }, body: Buffer.alloc(0) });
    assert.deepEqual(result.ok ? null : [result.errorType, result.message], ["MissingAuthenticationTokenException", "Missing Authentication Token"]);
  });

  test("an unknown key is an invalid security token; a wrong secret is a signature mismatch", async () => {
    const stranger = await signed({ ...USER, accessKeyId: "AKIAUNKNOWNKEY000000" });
    assert.deepEqual(messageOf(await verifier().verify(stranger)), ["AccessDeniedException", "The security token included in the request is invalid."]);
    const wrongSecret = await signed({ ...USER, secretAccessKey: "not-the-secret" });
    const [type, message] = messageOf(await verifier().verify(wrongSecret));
    assert.equal(type, "InvalidSignatureException");
    assert.ok(message.startsWith("The request signature we calculated does not match the signature you provided."));
  });

  test("another region or service in the credential scope is a signature failure", async () => {
    assert.equal(refusal(await verifier().verify(await signed(USER, { region: "eu-west-1" }))), "InvalidSignatureException");
    assert.equal(refusal(await verifier().verify(await signed(USER, { service: "lambda" }))), "InvalidSignatureException");
  });

  test("outside the five-minute window the signature has expired or is not yet current", async () => {
    const request = await signed(USER);
    assert.equal((await verifier(NOW + 5 * 60_000).verify(request)).ok, true);
    assert.deepEqual(messageOf(await verifier(NOW + 5 * 60_000 + 1000).verify(request)), [
      "InvalidSignatureException",
      "Signature expired: 20260115T120000Z is now earlier than 20260115T120001Z (20260115T120501Z - 5 min.)",
    ]);
    assert.deepEqual(messageOf(await verifier(NOW - 6 * 60_000).verify(request)), [
      "InvalidSignatureException",
      "Signature not yet current: 20260115T120000Z is still later than 20260115T115900Z (20260115T115400Z + 5 min.)",
    ]);
  });

  test("a body hash header that does not match is refused", async () => {
    const request = await signed(USER, { method: "POST", body: "x", headers: { "x-amz-content-sha256": createHash("sha256").update("y").digest("hex") } });
    assert.equal(refusal(await verifier().verify(request)), "InvalidSignatureException");
  });
});

describe("presigned URLs", () => {
  async function presigned(credential: LocalCredential, expiresIn: number, query: Record<string, string> = {}): Promise<SignedRequest> {
    const signer = new SignatureV4({
      credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey, sessionToken: credential.sessionToken },
      region: "us-east-1",
      service: "execute-api",
      sha256: Hash.bind(null, "sha256"),
    });
    const request = await signer.presign(
      { method: "GET", protocol: "http:", hostname: "127.0.0.1", port: 4000, path: "/me", query, headers: { host: HOST } },
      { signingDate: new Date(NOW), expiresIn },
    );
    const rawQueryString = Object.entries(request.query ?? {})
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
      .join("&");
    return { method: "GET", rawPath: "/me", rawQueryString, headers: { host: HOST }, body: Buffer.alloc(0) };
  }

  test("a URL presigned by the SDK's signer passes until X-Amz-Date + X-Amz-Expires", async () => {
    const request = await presigned(ROLE, 900, { page: "2" });
    assert.equal((await verifier(NOW + 900_000).verify(request)).ok, true);
    const [type, message] = messageOf(await verifier(NOW + 901_000).verify(request));
    assert.equal(type, "InvalidSignatureException");
    assert.match(message, /^Signature expired: 20260115T120000Z is now earlier than/);
  });

  test("an altered parameter or a missing one is refused", async () => {
    const request = await presigned(USER, 60, { page: "2" });
    assert.equal(refusal(await verifier().verify({ ...request, rawQueryString: request.rawQueryString.replace("page=2", "page=3") })), "InvalidSignatureException");
    assert.equal(refusal(await verifier().verify({ ...request, rawQueryString: request.rawQueryString.replace(/X-Amz-Expires=\d+&?/, "") })), "IncompleteSignatureException");
  });
});

function refusal(result: Awaited<ReturnType<SigV4Verifier["verify"]>>): string | null {
  return result.ok ? null : result.errorType;
}

function messageOf(result: Awaited<ReturnType<SigV4Verifier["verify"]>>): [string, string] {
  assert.equal(result.ok, false);
  return result.ok ? ["", ""] : [result.errorType, result.message];
}
