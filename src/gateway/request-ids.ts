import { randomFillSync } from "node:crypto";

// One random fill serves hundreds of ids; crypto calls per request would dominate a fast route.
const pool = Buffer.allocUnsafe(4096);
let poolOffset = pool.length;

function takeRandom(bytes: number): number {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += bytes;
  return start;
}

/** A request id shaped like API Gateway's (`LV7fzho-PHcEJPw=`): 11 random bytes, base64url, one `=`. */
export function newRequestId(): string {
  const start = takeRandom(11);
  return `${pool.toString("base64url", start, start + 11)}=`;
}

/** An X-Ray trace header value as the gateway adds it: `Root=1-<8 hex epoch seconds>-<24 hex>`. */
export function newTraceId(epochMs: number): string {
  const start = takeRandom(12);
  const seconds = Math.floor(epochMs / 1000)
    .toString(16)
    .padStart(8, "0");
  return `Root=1-${seconds}-${pool.toString("hex", start, start + 12)}`;
}

export { deriveApiId } from "../manifest/api-id.js";
