import * as cdk from "@aws-cdk/core";
import * as ec2 from "@aws-cdk/aws-ec2";
import * as rds from "@aws-cdk/aws-rds";
import * as sst from "@serverless-stack/resources";

export default class NetworkStack extends sst.Stack {
  public readonly vpc: ec2.Vpc;
  public readonly cluster: rds.ServerlessCluster;

  constructor(scope: sst.App, id: string, props?: sst.StackProps) {
    super(scope, id, props);

    this.vpc = new ec2.Vpc(this, "Vpc", {
      maxAzs: 2,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC },
        { name: "private", subnetType: ec2.SubnetType.PRIVATE },
      ],
    });

    this.cluster = new rds.ServerlessCluster(this, "Cluster", {
      engine: rds.DatabaseClusterEngine.AURORA_POSTGRESQL,
      parameterGroup: rds.ParameterGroup.fromParameterGroupName(this, "ParameterGroup", "default.aurora-postgresql10"),
      vpc: this.vpc,
      defaultDatabaseName: "reports",
      scaling: { autoPause: cdk.Duration.minutes(10), minCapacity: rds.AuroraCapacityUnit.ACU_2 },
      enableDataApi: true,
    });

    new cdk.CfnOutput(this, "ClusterArn", { value: this.cluster.clusterArn });
    new cdk.CfnOutput(this, "SubnetCount", { value: String(this.vpc.privateSubnets.length) });
  }
}
