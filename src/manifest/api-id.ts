import { createHash } from "node:crypto";

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A stable 10-character lowercase alphanumeric apiId for a manifest Api id (like `9ero2xj9cl`): what the gateway
 * puts in `requestContext.apiId` and what stacks read as `api.httpApi.apiId`.
 */
export function deriveApiId(manifestApiId: string): string {
  const digest = createHash("sha256").update(manifestApiId).digest();
  let id = "";
  for (let i = 0; i < 10; i++) id += ID_ALPHABET[digest[i] % ID_ALPHABET.length];
  return id;
}
