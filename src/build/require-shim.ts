/**
 * Put at the top of every ESM bundle: CommonJS packages bundled inside still call `require` for Node's
 * built-ins, which ESM does not define.
 */
export const REQUIRE_SHIM = 'import { createRequire as __ghRequire } from "node:module"; const require = __ghRequire(import.meta.url);';
