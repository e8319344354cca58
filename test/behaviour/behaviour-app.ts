/**
 * One app, written once, and what every backend must do with it: its routes with their authorization and
 * scopes, and its functions' settings. The dev gateway, the host and the synthesized AWS template are each
 * checked against these same expectations (behaviour.test.ts), the way one router suite runs against every
 * router.
 */

export const AUDIENCE = "behaviour-api";
/** The issuer the app names on AWS, where API Gateway accepts only https issuers. */
export const AWS_ISSUER = "https://behaviour.eu.auth0.com/";

export interface RouteExpectation {
  key: string;
  /** A request that this route (and no other) matches. */
  method: string;
  path: string;
  authorization: "NONE" | "JWT";
  scopes: string[];
  /** `pathParameters.proxy` the handler sees, for greedy routes. */
  proxy?: string;
  /** Index into FUNCTIONS of the function behind the route. */
  fn: number;
}

export interface FunctionExpectation {
  handler: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
}

export const FUNCTIONS: FunctionExpectation[] = [
  { handler: "src/echo.main", timeout: 10, memorySize: 1024, environment: { SHARED: "everywhere" } },
  { handler: "src/settings.main", timeout: 20, memorySize: 512, environment: { SHARED: "everywhere", GREETING: "hello" } },
];

export const ROUTES: RouteExpectation[] = [
  { key: "GET /public", method: "GET", path: "/public", authorization: "NONE", scopes: [], fn: 0 },
  { key: "GET /private", method: "GET", path: "/private", authorization: "JWT", scopes: [], fn: 0 },
  { key: "GET /admin", method: "GET", path: "/admin", authorization: "JWT", scopes: ["admin:write"], fn: 0 },
  { key: "ANY /files/{proxy+}", method: "DELETE", path: "/files/a/b.txt", authorization: "NONE", scopes: [], proxy: "a/b.txt", fn: 0 },
  { key: "POST /settings", method: "POST", path: "/settings", authorization: "NONE", scopes: [], fn: 1 },
  { key: "$default", method: "PUT", path: "/anything/else", authorization: "NONE", scopes: [], fn: 0 },
];

const ECHO = `export async function main(event, context) {
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      routeKey: event.routeKey,
      proxy: event.pathParameters?.proxy ?? null,
      sub: event.requestContext.authorizer?.jwt?.claims?.sub ?? null,
      memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      remainingMs: context.getRemainingTimeInMillis(),
      shared: process.env.SHARED ?? null,
      greeting: process.env.GREETING ?? null,
    }),
  };
}
`;

/** The app's files; `localIssuer` is the issuer the dev and host stages trust (a loopback test issuer). */
export function behaviourAppFiles(localIssuer: string): Record<string, string> {
  return {
    "sst.json": JSON.stringify({ name: "behaviour", stage: "dev", region: "us-east-1" }),
    "stacks/index.js": `import * as sst from "@serverless-stack/resources";
import { HttpJwtAuthorizer } from "@aws-cdk/aws-apigatewayv2-authorizers-alpha";

class ApiStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const issuer = scope.stage === "aws" ? ${JSON.stringify(AWS_ISSUER)} : ${JSON.stringify(localIssuer)};
    const api = new sst.Api(this, "Api", {
      defaultAuthorizer: new HttpJwtAuthorizer("Jwt", issuer, { jwtAudience: [${JSON.stringify(AUDIENCE)}] }),
      defaultAuthorizationType: sst.ApiAuthorizationType.JWT,
      routes: {
        "GET /public": { function: "src/echo.main", authorizationType: sst.ApiAuthorizationType.NONE },
        "GET /private": "src/echo.main",
        "GET /admin": { function: "src/echo.main", authorizationScopes: ["admin:write"] },
        "ANY /files/{proxy+}": { function: "src/echo.main", authorizationType: sst.ApiAuthorizationType.NONE },
        "POST /settings": {
          function: { handler: "src/settings.main", timeout: 20, memorySize: 512, environment: { GREETING: "hello" } },
          authorizationType: sst.ApiAuthorizationType.NONE,
        },
        "$default": { function: "src/echo.main", authorizationType: sst.ApiAuthorizationType.NONE },
      },
    });
    this.addOutputs({ ApiEndpoint: api.url });
  }
}

export default function main(app) {
  app.setDefaultFunctionProps({ environment: { SHARED: "everywhere" } });
  new ApiStack(app, "api");
}
`,
    "src/echo.js": ECHO,
    "src/settings.js": ECHO,
  };
}
