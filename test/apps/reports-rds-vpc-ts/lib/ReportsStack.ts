import * as cdk from "@aws-cdk/core";
import * as ec2 from "@aws-cdk/aws-ec2";
import * as rds from "@aws-cdk/aws-rds";
import * as sst from "@serverless-stack/resources";

interface ReportsStackProps extends sst.StackProps {
  vpc: ec2.Vpc;
  cluster: rds.ServerlessCluster;
}

export default class ReportsStack extends sst.Stack {
  constructor(scope: sst.App, id: string, props: ReportsStackProps) {
    super(scope, id, props);

    const uploads = new sst.Bucket(this, "Uploads", {
      notifications: ["src/ingest.main"],
    });

    const api = new sst.Api(this, "Api", {
      defaultFunctionProps: {
        environment: {
          CLUSTER_ARN: props.cluster.clusterArn,
          SECRET_ARN: props.cluster.secret!.secretArn,
          BUCKET: uploads.bucketName,
        },
        timeout: cdk.Duration.seconds(30),
      },
      routes: {
        "GET /health": "src/health.main",
        "GET /reports": "src/reports.list",
      },
    });
    api.attachPermissions([props.cluster, uploads]);

    this.addOutputs({ ApiEndpoint: api.url });
  }
}
