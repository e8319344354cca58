import { GatehouseError } from "../errors.js";
import { printable } from "../terminal-text.js";

/** Longest address accepted: RFC 5321's path limit less the angle brackets, as Auth0 (docs/identity-input.md). */
export const MAX_EMAIL_LENGTH = 254;
/** Longest part before the `@` (RFC 5321). */
export const MAX_LOCAL_PART_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;

// Control characters (C0, DEL, C1: NUL, ESC of ANSI sequences, newlines) and invisible format characters
// (bidi overrides, zero-width): none belongs in an address, and each can rewrite what a terminal or page shows.
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;
// Characters the unquoted form of RFC 5322 does not allow before the @, and markup (<, >) anywhere.
const FORBIDDEN = /[\s<>()[\]\\,;:"]/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/** Why `email` is not an address Gatehouse accepts, or null when it is. Rules: docs/identity-input.md. */
export function emailProblem(email: string): string | null {
  if (email.length === 0) return "it is empty";
  if ([...email].length > MAX_EMAIL_LENGTH) return `it is longer than ${MAX_EMAIL_LENGTH} characters`;
  if (CONTROL_OR_FORMAT.test(email)) return "it contains control or invisible formatting characters";
  if (FORBIDDEN.test(email)) return "it contains spaces, angle brackets or other characters an address cannot hold";
  const at = email.lastIndexOf("@");
  if (at <= 0 || email.indexOf("@") !== at) return "it needs exactly one @ with a name before it";
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if ([...local].length > MAX_LOCAL_PART_LENGTH) return `the part before @ is longer than ${MAX_LOCAL_PART_LENGTH} characters`;
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return "the part before @ has a misplaced dot";
  const labels = domain.split(".");
  if (labels.length < 2) return "the domain after @ needs a dot (e.g. example.com)";
  if (labels.some((label) => label.length > MAX_LABEL_LENGTH || !DOMAIN_LABEL.test(label))) return "the domain after @ is not a valid host name";
  return null;
}

/** `email` if Gatehouse accepts it as an address, else GH_ERR_EMAIL_INVALID (with the address shown safely). */
export function checkEmail(email: string): string {
  const problem = emailProblem(email);
  if (problem) throw new GatehouseError("GH_ERR_EMAIL_INVALID", `${printable(email, 80)} is not an e-mail address: ${problem}. Fix: give an address such as name@example.com.`);
  return email;
}
