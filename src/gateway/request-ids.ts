import { createHash, randomFillSync } from "node:crypto";

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

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A stable 10-character lowercase alphanumeric apiId for a manifest Api id (like `9ero2xj9cl`). */
export function deriveApiId(manifestApiId: string): string {
  const digest = createHash("sha256").update(manifestApiId).digest();
  let id = "";
  for (let i = 0; i < 10; i++) id += ID_ALPHABET[digest[i] % ID_ALPHABET.length];
  return id;
}
