import { createPublicKey, type KeyObject, randomBytes, sign } from "node:crypto";

// A minimal DER writer: just the ASN.1 types an X.509 v3 certificate needs.
function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const positiveInteger = (bytes: Buffer) => tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));
const NULL = Buffer.from([0x05, 0x00]);
const SHA256_WITH_RSA = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
const COMMON_NAME = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]);

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

/**
 * A self-signed X.509 certificate (DER) for an RSA key with CN = `commonName`, valid ten years: the `x5c`
 * that Auth0 publishes and that older samples (jwks-rsa, express-jwt) turn into a PEM.
 */
export function selfSignedCertificate(privateKey: KeyObject, commonName: string): Buffer {
  const name = sequence(set(sequence(COMMON_NAME, utf8(commonName))));
  const algorithm = sequence(SHA256_WITH_RSA, NULL);
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const tbs = sequence(
    tlv(0xa0, positiveInteger(Buffer.from([2]))),
    positiveInteger(serial),
    algorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    createPublicKey(privateKey).export({ type: "spki", format: "der" }),
  );
  const signature = sign("sha256", tbs, privateKey);
  return sequence(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}
