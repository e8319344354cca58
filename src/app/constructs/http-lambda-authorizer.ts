import { GatehouseError } from "../../errors.js";
import { toSeconds } from "./duration.js";

/** CDK's HttpLambdaResponseType: which answers the authorizer function gives. */
export const HttpLambdaResponseType = { SIMPLE: "SIMPLE", IAM: "IAM" } as const;

export interface HttpLambdaAuthorizerProps {
  /** The CDK v1 form passes the id and the function in props. */
  authorizerName?: string;
  handler?: unknown;
  identitySource?: string[] | string;
  resultsCacheTtl?: unknown;
  responseTypes?: string[];
}

/** CDK's default cache age for Lambda authorizer results (docs/authorizers.md). */
export const CDK_LAMBDA_AUTHORIZER_TTL_SECONDS = 300;

/**
 * CDK's HttpLambdaAuthorizer, in both the `(id, handler, props)` form (aws-cdk-lib, v2 alpha, late v1) and
 * the older `({ authorizerName, handler, ... })` form. The handler (an sst.Function, or a handler string or
 * FunctionProps for SST 1.x) is turned into a manifest function by the Api that uses the authorizer.
 */
export class HttpLambdaAuthorizer {
  readonly id: string;
  readonly handler: unknown;
  readonly identitySource: string[];
  readonly resultTtlSeconds: number;
  readonly payloadFormatVersion: "1.0" | "2.0";
  readonly enableSimpleResponses: boolean;

  constructor(idOrProps: string | HttpLambdaAuthorizerProps, handler?: unknown, props: HttpLambdaAuthorizerProps = {}) {
    const options = typeof idOrProps === "string" ? props : (idOrProps ?? {});
    this.id = typeof idOrProps === "string" ? idOrProps : (options.authorizerName ?? "LambdaAuthorizer");
    this.handler = typeof idOrProps === "string" ? handler : options.handler;
    const where = `HttpLambdaAuthorizer "${this.id}"`;
    if (this.handler === undefined || this.handler === null) {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: no handler function. Fix: pass an sst.Function as the handler.`);
    }
    this.identitySource = options.identitySource === undefined ? ["$request.header.Authorization"] : [options.identitySource].flat();
    const ttl = options.resultsCacheTtl === undefined ? CDK_LAMBDA_AUTHORIZER_TTL_SECONDS : toSeconds(options.resultsCacheTtl);
    if (ttl === null || ttl < 0 || ttl > 3600) {
      throw new GatehouseError("GH_ERR_AUTHORIZER_INVALID", `${where}: resultsCacheTtl must be a Duration between 0 and 1 hour.`);
    }
    this.resultTtlSeconds = Math.floor(ttl);
    const types = (options.responseTypes ?? [HttpLambdaResponseType.IAM]).map((type) => String(type).toUpperCase());
    // CDK: asking for simple responses switches the authorizer to payload 2.0; IAM alone keeps 1.0.
    this.enableSimpleResponses = types.includes(HttpLambdaResponseType.SIMPLE);
    this.payloadFormatVersion = this.enableSimpleResponses ? "2.0" : "1.0";
  }
}

/** CDK's HttpIamAuthorizer: marks a route `AWS_IAM` (SigV4-signed requests only). */
export class HttpIamAuthorizer {
  readonly authorizationType = "AWS_IAM";
}
