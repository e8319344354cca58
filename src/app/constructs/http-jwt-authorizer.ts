import { GatehouseError } from "../../errors.js";

export interface HttpJwtAuthorizerProps {
  jwtAudience?: string[];
  /** CDK spells it as a list with exactly one entry for JWT. */
  identitySource?: string[] | string;
  authorizerName?: string;
  /** The CDK v1 alpha form passed the issuer in props. */
  jwtIssuer?: string;
}

/** CDK's HttpJwtAuthorizer (both the `(id, issuer, props)` and the older `(props)` forms). */
export class HttpJwtAuthorizer {
  readonly id: string;
  readonly issuer: string;
  readonly audience: string[];
  readonly identitySource: string;

  constructor(idOrProps: string | HttpJwtAuthorizerProps, issuer?: string, props: HttpJwtAuthorizerProps = {}) {
    const options = typeof idOrProps === "string" ? props : idOrProps;
    this.id = typeof idOrProps === "string" ? idOrProps : (options.authorizerName ?? "JwtAuthorizer");
    const jwtIssuer = typeof idOrProps === "string" ? issuer : options.jwtIssuer;
    if (typeof jwtIssuer !== "string" || jwtIssuer === "") {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `HttpJwtAuthorizer "${this.id}": the issuer must be a URL such as "https://myorg.us.auth0.com/".`);
    }
    this.issuer = jwtIssuer;
    this.audience = [...(options.jwtAudience ?? [])];
    const sources = options.identitySource === undefined ? ["$request.header.Authorization"] : [options.identitySource].flat();
    if (sources.length !== 1) {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `HttpJwtAuthorizer "${this.id}": a JWT authorizer takes exactly one identitySource.`);
    }
    this.identitySource = sources[0];
  }
}
