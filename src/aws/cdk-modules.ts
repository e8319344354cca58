/**
 * aws-cdk-lib, loaded on demand. Only `synth` and the AWS target call this, so `gatehouse dev` never pays
 * for loading the CDK (several hundred modules) at start.
 */
export interface CdkModules {
  core: typeof import("aws-cdk-lib");
  lambda: typeof import("aws-cdk-lib/aws-lambda");
  logs: typeof import("aws-cdk-lib/aws-logs");
  iam: typeof import("aws-cdk-lib/aws-iam");
  apigw: typeof import("aws-cdk-lib/aws-apigatewayv2");
  integrations: typeof import("aws-cdk-lib/aws-apigatewayv2-integrations");
  authorizers: typeof import("aws-cdk-lib/aws-apigatewayv2-authorizers");
}

let loaded: Promise<CdkModules> | null = null;

export function loadCdk(): Promise<CdkModules> {
  loaded ??= (async () => {
    const [core, lambda, logs, iam, apigw, integrations, authorizers] = await Promise.all([
      import("aws-cdk-lib"),
      import("aws-cdk-lib/aws-lambda"),
      import("aws-cdk-lib/aws-logs"),
      import("aws-cdk-lib/aws-iam"),
      import("aws-cdk-lib/aws-apigatewayv2"),
      import("aws-cdk-lib/aws-apigatewayv2-integrations"),
      import("aws-cdk-lib/aws-apigatewayv2-authorizers"),
    ]);
    return { core, lambda, logs, iam, apigw, integrations, authorizers };
  })();
  return loaded;
}
