import { createHash } from "node:crypto";
import { GatehouseError } from "../../errors.js";
import type { AuthManifest } from "../../manifest/manifest.js";
import { authIssuerToken } from "../../manifest/tokens.js";
import type { Synthesizable } from "./app.js";
import { stackOf } from "./construct-node.js";
import { registerConstructKind } from "./registry.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

export interface AuthApplicationProps {
  name: string;
  clientId?: string;
  callbackUrls?: string[];
  logoutUrls?: string[];
  webOrigins?: string[];
  grantTypes?: string[];
}

export interface AuthApiProps {
  identifier: string;
  scopes?: string[];
  rbac?: boolean;
}

export interface AuthProps {
  applications?: AuthApplicationProps[];
  apis?: AuthApiProps[];
  [other: string]: unknown;
}

/** Props of SST's Auth that configure an identity pool's social logins, which have no offline counterpart. */
const CLOUD_PROPS = ["auth0", "google", "facebook", "twitter", "amazon", "apple", "identityPool"];

/** What stacks read off a Cognito user pool: its id (a literal local id) and the CDK construct path. */
export interface LocalUserPool {
  userPoolId: string;
  userPoolArn: string;
  userPoolProviderUrl: string;
  node: { path: string };
}

/** What stacks read off a user pool client. */
export interface LocalUserPoolClient {
  userPoolClientId: string;
  node: { path: string };
}

/**
 * A stage's own Auth0-compatible identity tenant, deployed with the stage and served by the host (or by
 * dev), so a fully self-hosted app needs no external identity provider. `auth.issuer` is a token the
 * backend resolves to the tenant's URL; a JWT authorizer can name it as its issuer.
 */
export class Auth implements Synthesizable {
  readonly stack: Stack;
  readonly id: string;
  readonly manifestId: string;
  private readonly applications: AuthManifest["applications"];
  private readonly apis: AuthManifest["apis"];
  private readonly location: string | null;
  /** Set with `cognito`: the pool the embedded provider plays under its Cognito issuer (docs/authorizers.md). */
  readonly cognitoUserPool: LocalUserPool | undefined;
  readonly cognitoUserPoolClient: LocalUserPoolClient | undefined;
  /** The identity pool's id (`<region>:<uuid>`), as SST's `auth.cognitoCfnIdentityPool.ref` gives it. */
  readonly cognitoIdentityPoolId: string | undefined;

  constructor(scope: Stack, id: string, props: AuthProps = {}) {
    scope = stackOf<Stack>(scope) ?? scope;
    this.stack = scope;
    this.id = id;
    this.manifestId = `${scope.id}/${id}`;
    this.location = callerLocation(scope.app.root);
    const where = `${this.location ?? scope.id}: Auth "${id}"`;
    const cloud = CLOUD_PROPS.filter((key) => props[key] !== undefined);
    if (cloud.length > 0) {
      throw new GatehouseError(
        "GH_ERR_CONSTRUCT_INVALID",
        `${where}: ${cloud.join(", ")} configure AWS Cognito, which does not exist offline. Fix: declare { applications, apis } for a self-hosted tenant, or point an HttpJwtAuthorizer at your identity provider's issuer.`,
      );
    }
    if (props.cognito !== undefined && props.cognito !== false) {
      // A Cognito pool with local, stable ids; an HttpUserPoolAuthorizer on it makes dev impersonate its issuer.
      const region = scope.app.region;
      const poolId = `${region}_${derivedClientId(scope.app.name, scope.app.stage, this.manifestId, "pool").replace(/[^0-9A-Za-z]/g, "").slice(0, 9)}`;
      this.cognitoUserPool = {
        userPoolId: poolId,
        userPoolArn: `arn:aws:cognito-idp:${region}:${scope.app.account}:userpool/${poolId}`,
        userPoolProviderUrl: `cognito-idp.${region}.amazonaws.com/${poolId}`,
        node: { path: `${scope.id}/${id}/UserPool` },
      };
      this.cognitoUserPoolClient = {
        userPoolClientId: derivedClientId(scope.app.name, scope.app.stage, this.manifestId, "client").toLowerCase().slice(0, 26),
        node: { path: `${scope.id}/${id}/UserPoolClient` },
      };
      const hex = createHash("sha256").update(`${scope.app.name}\0${scope.app.stage}\0${this.manifestId}\0identity-pool`).digest("hex");
      this.cognitoIdentityPoolId = `${region}:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
      if (props.applications === undefined && props.apis === undefined) {
        this.applications = [];
        this.apis = [];
        return;
      }
    }
    const names = new Set<string>();
    this.applications = (props.applications ?? [{ name: "default" }]).map((app) => {
      if (typeof app?.name !== "string" || app.name === "") throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: every application needs a name.`);
      if (names.has(app.name)) throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: two applications are named "${app.name}".`);
      names.add(app.name);
      return {
        name: app.name,
        clientId: app.clientId ?? derivedClientId(scope.app.name, scope.app.stage, this.manifestId, app.name),
        callbackUrls: [...(app.callbackUrls ?? [])],
        logoutUrls: [...(app.logoutUrls ?? [])],
        webOrigins: [...(app.webOrigins ?? [])],
        grantTypes: [...(app.grantTypes ?? [])],
      };
    });
    this.apis = (props.apis ?? []).map((api) => {
      if (typeof api?.identifier !== "string" || api.identifier === "") throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${where}: every api needs an identifier.`);
      return { identifier: api.identifier, scopes: [...(api.scopes ?? [])], rbac: api.rbac === true };
    });
    scope.app.members.push(this);
  }

  /** SST's `auth.cognitoCfnIdentityPool`: stacks read its `ref` for outputs. */
  get cognitoCfnIdentityPool(): { ref: string } | undefined {
    return this.cognitoIdentityPoolId === undefined ? undefined : { ref: this.cognitoIdentityPoolId };
  }

  /** The identity pool's roles, for stacks that read their ARNs. */
  get iamAuthRole(): { roleArn: string; roleName: string } {
    return { roleArn: `arn:aws:iam::${this.stack.app.account}:role/${this.stack.stackName}-${this.id}-AuthRole`, roleName: `${this.id}-AuthRole` };
  }

  get iamUnauthRole(): { roleArn: string; roleName: string } {
    return { roleArn: `arn:aws:iam::${this.stack.app.account}:role/${this.stack.stackName}-${this.id}-UnauthRole`, roleName: `${this.id}-UnauthRole` };
  }

  /** Accepted: signed-in users' IAM permissions are not enforced locally (AWS_IAM routes check signatures only). */
  attachPermissionsForAuthUsers(_permissions: unknown): void {
    this.stack.app.notice("attachPermissionsForAuthUsers is accepted; AWS_IAM routes check the signature only, with the local key pairs dev prints.");
  }

  attachPermissionsForUnauthUsers(_permissions: unknown): void {
    this.stack.app.notice("attachPermissionsForUnauthUsers is accepted; AWS_IAM routes check the signature only, with the local key pairs dev prints.");
  }

  /** The tenant's issuer URL (a token until the stage is served). */
  get issuer(): string {
    return authIssuerToken(this.manifestId);
  }

  /** The client id of the named application (the first one when no name is given). */
  clientId(name?: string): string {
    const app = name === undefined ? this.applications[0] : this.applications.find((candidate) => candidate.name === name);
    if (!app) throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `Auth "${this.id}": no application named "${name}".`);
    return app.clientId;
  }

  synthAuth(): AuthManifest {
    return {
      id: this.manifestId,
      constructId: this.id,
      stackId: this.stack.id,
      location: this.location,
      applications: this.applications.map((app) => ({ ...app })),
      apis: this.apis.map((api) => ({ ...api, scopes: [...api.scopes] })),
    };
  }
}

/** A client id shaped like Auth0's (32 letters and digits), the same on every deploy of the stage. */
function derivedClientId(app: string, stage: string, authId: string, name: string): string {
  return createHash("sha256").update(`${app}\0${stage}\0${authId}\0${name}`).digest("base64url").replace(/[-_]/g, "").slice(0, 32);
}

registerConstructKind({ kind: "sst.Auth", exportName: "Auth", construct: Auth });
