import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { LocalCredential } from "../auth/sigv4-verifier.js";
import { GatehouseError } from "../errors.js";
import { LOCAL_ACCOUNT_ID } from "../manifest/manifest.js";

/** A stored key pair with when it was made. */
export interface StoredCredential extends LocalCredential {
  userName: string;
  createdAt: string;
}

/** Where a stage keeps the key pairs its AWS_IAM routes accept. */
export function iamCredentialsFile(stateDir: string): string {
  return join(stateDir, "iam", "credentials.json");
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * The local IAM users of a stage, in a JSON file beside its other state: `gatehouse dev` makes the first one
 * and prints it, `gatehouse idp credentials` mints more. The gateway reads the file again whenever it changes,
 * so keys minted while dev runs work at once.
 */
export class IamCredentialStore {
  private cached: { version: string; byKey: Map<string, StoredCredential> } | null = null;

  constructor(readonly path: string) {}

  /** Every stored key pair, oldest first. */
  list(): StoredCredential[] {
    return [...this.load().values()];
  }

  /** The key pair with this access key id, if stored. */
  lookup(accessKeyId: string): StoredCredential | undefined {
    return this.load().get(accessKeyId);
  }

  /** The first key pair, made now when there is none. */
  ensureOne(): StoredCredential {
    return this.list()[0] ?? this.mint("gatehouse-dev");
  }

  /** Makes and stores a new IAM user key pair shaped like AWS's (AKIA… and a 40-character secret). */
  mint(userName: string): StoredCredential {
    if (!/^[\w+=,.@-]{1,64}$/.test(userName)) {
      throw new GatehouseError("GH_ERR_IDP_INVALID", `IAM user name "${userName}" may hold only letters, digits and +=,.@_- (at most 64). Fix: pick another --name.`);
    }
    const credential: StoredCredential = {
      accessKeyId: `AKIA${base32(randomBytes(10))}`.slice(0, 20),
      secretAccessKey: randomBytes(30).toString("base64").slice(0, 40),
      userName,
      userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${userName}`,
      userId: `AIDA${base32(createHash("sha256").update(userName).digest()).slice(0, 17)}`,
      createdAt: new Date().toISOString(),
    };
    const all = [...this.list(), credential];
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ credentials: all }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
    this.cached = null;
    return credential;
  }

  private load(): Map<string, StoredCredential> {
    let version: string;
    try {
      // Writers replace the file by renaming a new one over it, so its inode changes with every write.
      const stat = statSync(this.path);
      version = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return new Map();
    }
    if (this.cached?.version === version) return this.cached.byKey;
    let parsed: { credentials?: StoredCredential[] };
    try {
      parsed = JSON.parse(readFileSync(this.path, "utf8"));
    } catch (err) {
      throw new GatehouseError("GH_ERR_IDP_INVALID", `${this.path} is not valid JSON (${(err as Error).message}). Fix: delete it; gatehouse dev makes a new key pair.`);
    }
    const byKey = new Map((parsed.credentials ?? []).map((credential) => [credential.accessKeyId, credential]));
    this.cached = { version, byKey };
    return byKey;
  }
}

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
