// The floors the benchmarks compare against, each run as its own process:
//   node bench/bare-servers.mjs constant        -> bare node:http answering "Hello stranger!"
//   node bench/bare-servers.mjs jose <jwks-url> <issuer> <audience>
//                                                -> bare node:http verifying every request's RS256 token with jose
import { createServer } from "node:http";
import { createLocalJWKSet, jwtVerify } from "jose";

const [mode, jwksUrl, issuer, audience] = process.argv.slice(2);
let handler;
if (mode === "constant") {
  handler = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("Hello stranger!");
  };
} else if (mode === "jose") {
  const keys = createLocalJWKSet(await (await fetch(jwksUrl)).json());
  handler = async (req, res) => {
    try {
      const token = (req.headers.authorization ?? "").replace(/^Bearer /i, "");
      const { payload } = await jwtVerify(token, keys, { issuer, audience, algorithms: ["RS256"] });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`Hello ${payload.sub}!`);
    } catch {
      res.writeHead(401, { "content-type": "application/json" });
      res.end('{"message":"Unauthorized"}');
    }
  };
} else {
  console.error("usage: bare-servers.mjs constant | jose <jwks-url> <issuer> <audience>");
  process.exit(2);
}
const server = createServer(handler);
server.keepAliveTimeout = 5000;
server.listen(0, "127.0.0.1", () => console.log(`listening http://127.0.0.1:${server.address().port}`));
