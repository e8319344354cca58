import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { unreachableIssuers } from "../../src/host/issuer-reachability.js";
import type { Manifest } from "../../src/manifest/manifest.js";
import { authIssuerToken } from "../../src/manifest/tokens.js";

/** A manifest whose one Api trusts `issuers` (only what the check reads is filled in). */
function trusting(...issuers: string[]): Manifest {
  const authorizers = Object.fromEntries(
    issuers.map((issuer, index) => [`a${index}`, { id: `a${index}`, type: "JWT", issuer, audience: ["x"], identitySource: "$request.header.Authorization" }]),
  );
  return { apis: [{ authorizers }] } as unknown as Manifest;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)));
}

describe("unreachableIssuers", () => {
  // One issuer that answers discovery, one that accepts connections and never answers.
  const answering = createServer((req, res) => {
    if (req.url === "/.well-known/openid-configuration") res.writeHead(200, { "content-type": "application/json" }).end("{}");
    else res.writeHead(404).end();
  });
  const silent = createServer(() => {});
  let good: string;
  let hung: string;
  let refused: string;

  before(async () => {
    good = await listen(answering);
    hung = await listen(silent);
    const closed = createServer();
    refused = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
  });
  after(async () => {
    silent.closeAllConnections();
    await Promise.all([answering, silent].map((server) => new Promise((resolve) => server.close(resolve))));
  });

  test("an issuer serving its discovery document is reachable", async () => {
    assert.deepEqual(await unreachableIssuers(trusting(good), { timeoutMs: 5000 }), []);
  });

  test("one that never answers is reported once the injected bound passes, naming it", async () => {
    const found = await unreachableIssuers(trusting(hung), { timeoutMs: 100 });
    assert.deepEqual(found, [{ issuer: hung, reason: "no answer within 100 ms" }]);
  });

  test("a refused connection and an HTTP error are reported with their reason", async () => {
    const found = await unreachableIssuers(trusting(refused, `${good}tenant/`), { timeoutMs: 5000 });
    assert.deepEqual(found, [
      { issuer: refused, reason: "ECONNREFUSED" },
      { issuer: `${good}tenant/`, reason: "its discovery document answered HTTP 404" },
    ]);
  });

  test("an issuer that is the stage's own tenant (a token) is not checked", async () => {
    let asked = 0;
    const counting: typeof fetch = async () => {
      asked++;
      return new Response("{}");
    };
    assert.deepEqual(await unreachableIssuers(trusting(authIssuerToken("stack/Auth")), { fetch: counting }), []);
    assert.equal(asked, 0);
  });
});
