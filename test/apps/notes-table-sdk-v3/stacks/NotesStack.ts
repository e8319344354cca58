import * as sst from "@serverless-stack/resources";

// SST 0.x TypeScript style: a table with a GSI, handlers on SDK v3's lib-dynamodb, the name from TABLE_NAME.
export default class NotesStack extends sst.Stack {
  constructor(scope: sst.App, id: string, props?: sst.StackProps) {
    super(scope, id, props);

    const table = new sst.Table(this, "Notes", {
      fields: {
        pk: sst.TableFieldType.STRING,
        sk: sst.TableFieldType.STRING,
        tag: sst.TableFieldType.STRING,
      },
      primaryIndex: { partitionKey: "pk", sortKey: "sk" },
      globalIndexes: {
        byTag: { partitionKey: "tag", sortKey: "sk" },
      },
    });

    const api = new sst.Api(this, "Api", {
      defaultFunctionProps: { environment: { TABLE_NAME: table.tableName } },
      routes: {
        "PUT /notes/{id}": "src/notes.put",
        "GET /notes/{id}": "src/notes.get",
        "GET /tags/{tag}": "src/notes.byTag",
      },
    });
    api.attachPermissions([table]);

    this.addOutputs({ ApiEndpoint: api.url, TableName: table.tableName });
  }
}
