const cdk = require("@aws-cdk/core");
const iam = require("@aws-cdk/aws-iam");
const sst = require("@serverless-stack/resources");
const { Api } = require("@serverless-stack/resources");

class ContactsStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const api = new Api(this, "Api", {
      defaultFunctionProps: { timeout: 5, environment: { TABLE_PREFIX: `${scope.stage}-contacts` } },
      routes: {
        "GET  /contacts":        "src/contacts.list",
        "PUT  /contacts/{id}":   "src/contacts.update",
      },
    });

    api.attachPermissions([
      new iam.PolicyStatement({ actions: ["ses:SendEmail"], effect: iam.Effect.ALLOW, resources: ["*"] }),
    ]);

    new cdk.CfnOutput(this, "ApiEndpoint", { value: api.url });
  }
}

module.exports = ContactsStack;
