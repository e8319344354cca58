import { createHash } from "node:crypto";
import { GatehouseError } from "../../errors.js";

export interface HttpUserPoolAuthorizerProps {
  /** CDK v1 form: the pool and client(s) in props. */
  userPool?: unknown;
  userPoolClient?: unknown;
  userPoolClients?: unknown[];
  userPoolRegion?: string;
  authorizerName?: string;
  identitySource?: string[] | string;
}

/** A Cognito pool id as Cognito writes it: `<region>_<9 letters and digits>`. */
const POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;
/** An app client id as Cognito writes it: 26 lowercase letters and digits. */
const CLIENT_ID = /^[0-9a-z]{1,128}$/;

/**
 * CDK's HttpUserPoolAuthorizer: a JWT authorizer whose issuer is the pool's Cognito URL and whose audience is
 * the app clients' ids. The pool and clients may be literal ids, objects with `userPoolId` /
 * `userPoolClientId` (CDK constructs), or SST 1.x `{ id, clientIds, region }`. An id that is still a deploy
 * token gets a stable local stand-in (docs/authorizers.md), so the embedded provider can play the pool.
 */
export class HttpUserPoolAuthorizer {
  readonly id: string;
  readonly userPoolId: string | null;
  readonly poolKey: string;
  readonly clientIds: Array<string | null>;
  readonly clientKeys: string[];
  readonly region: string | undefined;
  readonly identitySource: string;

  constructor(idOrProps: string | HttpUserPoolAuthorizerProps, pool?: unknown, props: HttpUserPoolAuthorizerProps = {}) {
    const options = typeof idOrProps === "string" ? props : (idOrProps ?? {});
    this.id = typeof idOrProps === "string" ? idOrProps : (options.authorizerName ?? "UserPoolAuthorizer");
    const where = `HttpUserPoolAuthorizer "${this.id}"`;
    const userPool = typeof idOrProps === "string" ? pool : options.userPool;
    if (userPool === undefined || userPool === null) {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: no user pool. Fix: pass the cognito.UserPool (or its id).`);
    }
    const poolValue = readId(userPool, "userPoolId");
    this.userPoolId = poolValue !== null && POOL_ID.test(poolValue) ? poolValue : null;
    // The construct path is stable across runs; a token's text may not be (CDK numbers tokens as it makes them).
    this.poolKey = constructPath(userPool) ?? poolValue ?? "";
    const clients = options.userPoolClients ?? (options.userPoolClient === undefined ? [] : [options.userPoolClient]);
    const clientValues = clients.map((client) => readId(client, "userPoolClientId"));
    this.clientIds = clientValues.map((value) => (value !== null && CLIENT_ID.test(value) ? value : null));
    this.clientKeys = clients.map((client, index) => constructPath(client) ?? clientValues[index] ?? String(index));
    const poolRegion = (userPool as { region?: unknown }).region;
    // A literal pool id names its region (`eu-west-1_…`), which is where its tokens come from.
    const idRegion = this.userPoolId?.slice(0, this.userPoolId.indexOf("_"));
    this.region = options.userPoolRegion ?? (typeof poolRegion === "string" && !poolRegion.includes("${") ? poolRegion : idRegion);
    const sources = options.identitySource === undefined ? ["$request.header.Authorization"] : [options.identitySource].flat();
    if (sources.length !== 1) throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: a user pool authorizer takes exactly one identitySource.`);
    this.identitySource = sources[0];
  }

  /** The pool id, or a stable local one (`<region>_<hash>`) when the stacks only hold a token. */
  poolIdIn(region: string): string {
    return this.userPoolId ?? `${region}_${hashed(this.poolKey, 9, true)}`;
  }

  /** The app client ids; CDK makes one client when none is given, so a local one stands in for it. */
  audience(region: string): string[] {
    if (this.clientIds.length === 0) return [hashed(`${this.poolIdIn(region)}\0UserPoolAuthorizerClient`, 26, false)];
    return this.clientIds.map((id, index) => id ?? hashed(`${this.poolIdIn(region)}\0${this.clientKeys[index]}`, 26, false));
  }

  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`, the `iss` of the pool's tokens. */
  issuer(stackRegion: string): string {
    const region = this.region ?? stackRegion;
    return cognitoIssuer(region, this.poolIdIn(region));
  }
}

/** The issuer URL of a Cognito user pool. */
export function cognitoIssuer(region: string, poolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
}

function readId(value: unknown, key: string): string | null {
  if (typeof value === "string") return value;
  const id = (value as Record<string, unknown> | null)?.[key];
  return typeof id === "string" ? id : null;
}

function constructPath(value: unknown): string | null {
  const path = (value as { node?: { path?: unknown } } | null)?.node?.path;
  return typeof path === "string" ? path : null;
}

/** A digest shaped like Cognito's ids: mixed-case letters and digits for pools, lowercase for clients. */
function hashed(text: string, length: number, mixedCase: boolean): string {
  const digest = createHash("sha256").update(text).digest(mixedCase ? "base64" : "hex");
  if (!mixedCase) return BigInt(`0x${digest}`).toString(36).padStart(length, "0").slice(0, length);
  return digest.replace(/[^0-9A-Za-z]/g, "").slice(0, length);
}
