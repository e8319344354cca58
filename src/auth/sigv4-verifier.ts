import { createHash, timingSafeEqual } from "node:crypto";
import { LOCAL_ACCOUNT_ID } from "../manifest/manifest.js";

/** A key pair that may sign requests to AWS_IAM routes, with the identity API Gateway reports for it. */
export interface LocalCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** Set for temporary (assumed-role) credentials; requests must then carry it in x-amz-security-token. */
  sessionToken?: string;
  /** `arn:aws:iam::<account>:user/<name>` or an STS assumed-role session ARN. */
  userArn: string;
  /** The IAM user id, or `<roleId>:<sessionName>` for a role session. */
  userId: string;
}

/** What one signed request looks like to the verifier; headers lowercase, duplicates comma-joined. */
export interface SignedRequest {
  method: string;
  /** The path as received, percent-encoding kept. */
  rawPath: string;
  /** The query as received, without `?`. */
  rawQueryString: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** `requestContext.authorizer.iam`, with every key present as AWS sends it (docs/authorizers.md). */
export interface IamIdentity {
  accessKey: string;
  accountId: string;
  callerId: string;
  cognitoIdentity: null;
  principalOrgId: null;
  userArn: string;
  userId: string;
}

/** API Gateway's refusal of an IAM-authorized request: always 403, with an `x-amzn-ErrorType`. */
export interface IamRefusal {
  ok: false;
  errorType: "MissingAuthenticationTokenException" | "AccessDeniedException" | "InvalidSignatureException" | "IncompleteSignatureException";
  message: string;
  /** For the dev log. */
  reason: string;
}

export interface SigV4VerifierOptions {
  /** The API's region: the credential scope must name it. */
  region: string;
  /** Looks a key up; undefined for a key that does not exist. */
  credentials: (accessKeyId: string) => LocalCredential | undefined;
  now?: () => number;
  /** Allowed distance between X-Amz-Date and now (default 5 minutes, as AWS). */
  maxSkewMs?: number;
}

const SERVICE = "execute-api";
const ALGORITHM = "AWS4-HMAC-SHA256";
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const BAD_TOKEN = "The security token included in the request is invalid.";

/**
 * Verifies Signature Version 4 on requests to AWS_IAM routes (docs/authorizers.md): the credential scope
 * must be `<date>/<api region>/execute-api/aws4_request`, the key must be a local credential, X-Amz-Date within
 * five minutes of now, and the signature is recomputed with the AWS SDK's own signer over exactly the headers
 * the client signed.
 */
export class SigV4Verifier {
  private readonly now: () => number;
  private readonly maxSkewMs: number;
  /** The AWS SDK's signer, loaded on the first signed request: it takes a third of a second to load, and most apps never need it. */
  private signer: Promise<SignerModules> | undefined;

  constructor(private readonly options: SigV4VerifierOptions) {
    this.now = options.now ?? Date.now;
    this.maxSkewMs = options.maxSkewMs ?? 5 * 60_000;
  }

  async verify(request: SignedRequest): Promise<{ ok: true; identity: IamIdentity } | IamRefusal> {
    const query = parseQuery(request.rawQueryString);
    const header = request.headers.authorization;
    const presigned = (header === undefined || header.trim() === "") && typeof query["X-Amz-Signature"] === "string";
    if (!presigned && (header === undefined || header.trim() === "")) {
      return refuse("MissingAuthenticationTokenException", "Missing Authentication Token", "no Authorization header");
    }
    const parsed = presigned ? parsePresigned(query) : parseAuthorization(header!, request.headers);
    if (typeof parsed === "string") return refuse("IncompleteSignatureException", parsed, "incomplete signature");
    const [accessKeyId, shortDate, region, service, terminator] = parsed.credential.split("/");
    if (region !== this.options.region || service !== SERVICE || terminator !== "aws4_request" || !shortDate) {
      return refuse("InvalidSignatureException", MISMATCH, `credential scope ${parsed.credential.slice(accessKeyId.length + 1)} is not <date>/${this.options.region}/${SERVICE}/aws4_request`);
    }
    const credential = this.options.credentials(accessKeyId);
    if (!credential) return refuse("AccessDeniedException", BAD_TOKEN, `unknown access key ${accessKeyId}`);
    if ((credential.sessionToken ?? undefined) !== parsed.token) return refuse("AccessDeniedException", BAD_TOKEN, `session token does not belong to ${accessKeyId}`);
    const signedAt = parseAmzDate(parsed.amzDate);
    const dateSigned = presigned || parsed.signedHeaders.includes("x-amz-date");
    if (signedAt === null || !parsed.amzDate.startsWith(shortDate) || !parsed.signedHeaders.includes("host") || !dateSigned) {
      return refuse("InvalidSignatureException", MISMATCH, "X-Amz-Date missing or not signed, or the scope date differs from it");
    }
    const now = this.now();
    // A presigned URL is good until its own expiry; a signed header for the usual five minutes.
    const validUntil = signedAt + (parsed.expiresSeconds === null ? this.maxSkewMs : parsed.expiresSeconds * 1000);
    if (now > validUntil) {
      const window = parsed.expiresSeconds === null ? "5 min." : `${parsed.expiresSeconds} sec.`;
      const earliest = now - (validUntil - signedAt);
      return refuse("InvalidSignatureException", `Signature expired: ${parsed.amzDate} is now earlier than ${formatAmzDate(earliest)} (${formatAmzDate(now)} - ${window})`, "signature expired");
    }
    if (signedAt > now + this.maxSkewMs) {
      return refuse("InvalidSignatureException", `Signature not yet current: ${parsed.amzDate} is still later than ${formatAmzDate(now + this.maxSkewMs)} (${formatAmzDate(now)} + 5 min.)`, "signature not yet current");
    }
    const expected = await this.signature(request, parsed, credential, region, signedAt, query);
    if (expected === null || !sameHex(expected, parsed.signature)) return refuse("InvalidSignatureException", MISMATCH, "signature mismatch");
    return {
      ok: true,
      identity: {
        accessKey: credential.accessKeyId,
        accountId: LOCAL_ACCOUNT_ID,
        callerId: credential.userId,
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: credential.userArn,
        userId: credential.userId,
      },
    };
  }

  /** The signature the client should have sent, or null when a signed header is missing from the request. */
  private async signature(
    request: SignedRequest,
    parsed: ParsedSignature,
    credential: LocalCredential,
    region: string,
    signedAt: number,
    query: Record<string, string | string[]>,
  ): Promise<string | null> {
    const headers: Record<string, string> = {};
    for (const name of parsed.signedHeaders) {
      const value = request.headers[name];
      if (value === undefined) return null;
      headers[name] = value;
    }
    // The body itself is what is signed: a signed content hash that is not the body's own cannot match.
    const declaredHash = headers["x-amz-content-sha256"];
    if (declaredHash !== undefined && declaredHash !== createHash("sha256").update(request.body).digest("hex")) return null;
    this.signer ??= Promise.all([import("@smithy/signature-v4"), import("@smithy/hash-node")]).then(([v4, hash]) => ({ SignatureV4: v4.SignatureV4, Hash: hash.Hash }));
    const { SignatureV4, Hash } = await this.signer;
    const signer = new SignatureV4({
      credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey, sessionToken: credential.sessionToken },
      region,
      service: SERVICE,
      sha256: Hash.bind(null, "sha256"),
      // The payload hash is the body's own (or the signed x-amz-content-sha256); never add an unsigned header.
      applyChecksum: false,
    });
    const unsigned = {
      method: request.method,
      protocol: "https:",
      hostname: headers.host ?? "",
      path: request.rawPath,
      query,
      headers,
      body: request.body.length > 0 ? request.body : undefined,
    };
    const signableHeaders = new Set(parsed.signedHeaders);
    if (parsed.expiresSeconds !== null) {
      // The signer puts the X-Amz-* parameters back itself, from the same values.
      const rest = Object.fromEntries(Object.entries(query).filter(([key]) => !PRESIGN_PARAMS.includes(key)));
      const presigned = await signer.presign(
        { ...unsigned, query: rest },
        { signingDate: new Date(signedAt), expiresIn: parsed.expiresSeconds, signableHeaders, unhoistableHeaders: signableHeaders },
      );
      const signature = presigned.query?.["X-Amz-Signature"];
      return typeof signature === "string" ? signature : null;
    }
    const signed = await signer.sign(unsigned, { signingDate: new Date(signedAt), signableHeaders });
    const authorization = String(signed.headers.authorization ?? "");
    return /Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? null;
  }
}

function refuse(errorType: IamRefusal["errorType"], message: string, reason: string): IamRefusal {
  return { ok: false, errorType, message, reason };
}

interface SignerModules {
  SignatureV4: typeof import("@smithy/signature-v4").SignatureV4;
  Hash: typeof import("@smithy/hash-node").Hash;
}

/** What a signature claims, from the Authorization header or a presigned URL's query. */
interface ParsedSignature {
  credential: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  token: string | undefined;
  /** X-Amz-Expires of a presigned URL; null for a signed Authorization header. */
  expiresSeconds: number | null;
}

const PRESIGN_PARAMS = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"];
/** The longest a presigned URL may live (SigV4's limit: one week). */
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; AWS's message when a part is missing. */
function parseAuthorization(header: string, headers: Record<string, string>): ParsedSignature | string {
  const trimmed = header.trim();
  const incomplete = `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header}`;
  if (!trimmed.startsWith(`${ALGORITHM} `)) return incomplete;
  const parts = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = parts.get("Credential");
  const signedHeaders = parts.get("SignedHeaders");
  const signature = parts.get("Signature");
  if (!credential || !signedHeaders || !signature) return incomplete;
  return {
    credential,
    signedHeaders: signedHeaders.split(";").map((name) => name.toLowerCase()),
    signature,
    amzDate: headers["x-amz-date"] ?? "",
    token: headers["x-amz-security-token"],
    expiresSeconds: null,
  };
}

/** The X-Amz-* parameters of a presigned URL (docs/authorizers.md); AWS's message when one is missing. */
function parsePresigned(query: Record<string, string | string[]>): ParsedSignature | string {
  const one = (key: string) => (typeof query[key] === "string" ? (query[key] as string) : undefined);
  const algorithm = one("X-Amz-Algorithm");
  const credential = one("X-Amz-Credential");
  const amzDate = one("X-Amz-Date");
  const expires = Number(one("X-Amz-Expires"));
  const signedHeaders = one("X-Amz-SignedHeaders");
  const signature = one("X-Amz-Signature");
  if (algorithm !== ALGORITHM || !credential || !amzDate || !signedHeaders || !signature || !Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_SECONDS) {
    return "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders' and 'X-Amz-Expires' (AWS4-HMAC-SHA256, at most one week). Re-examine the query-string parameters.";
  }
  return {
    credential,
    signedHeaders: signedHeaders.split(";").map((name) => name.toLowerCase()),
    signature,
    amzDate,
    token: one("X-Amz-Security-Token"),
    expiresSeconds: expires,
  };
}

function parseAmzDate(text: string): number | null {
  const match = AMZ_DATE.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? null : ms;
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Query parameters decoded, repeated keys as arrays, as the signer expects them. */
function parseQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (raw === "") return query;
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1));
    const existing = query[key];
    query[key] = existing === undefined ? value : [...[existing].flat(), value];
  }
  return query;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
