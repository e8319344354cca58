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
  dynamodb: typeof import("aws-cdk-lib/aws-dynamodb");
  eventSources: typeof import("aws-cdk-lib/aws-lambda-event-sources");
  sns: typeof import("aws-cdk-lib/aws-sns");
  snsSubscriptions: typeof import("aws-cdk-lib/aws-sns-subscriptions");
  sqs: typeof import("aws-cdk-lib/aws-sqs");
  events: typeof import("aws-cdk-lib/aws-events");
  eventsTargets: typeof import("aws-cdk-lib/aws-events-targets");
}

let loaded: Promise<CdkModules> | null = null;

export function loadCdk(): Promise<CdkModules> {
  loaded ??= (async () => {
    const [core, lambda, logs, iam, apigw, integrations, authorizers, dynamodb, eventSources, sns, snsSubscriptions, sqs, events, eventsTargets] = await Promise.all([
      import("aws-cdk-lib"),
      import("aws-cdk-lib/aws-lambda"),
      import("aws-cdk-lib/aws-logs"),
      import("aws-cdk-lib/aws-iam"),
      import("aws-cdk-lib/aws-apigatewayv2"),
      import("aws-cdk-lib/aws-apigatewayv2-integrations"),
      import("aws-cdk-lib/aws-apigatewayv2-authorizers"),
      import("aws-cdk-lib/aws-dynamodb"),
      import("aws-cdk-lib/aws-lambda-event-sources"),
      import("aws-cdk-lib/aws-sns"),
      import("aws-cdk-lib/aws-sns-subscriptions"),
      import("aws-cdk-lib/aws-sqs"),
      import("aws-cdk-lib/aws-events"),
      import("aws-cdk-lib/aws-events-targets"),
    ]);
    return { core, lambda, logs, iam, apigw, integrations, authorizers, dynamodb, eventSources, sns, snsSubscriptions, sqs, events, eventsTargets };
  })();
  return loaded;
}
