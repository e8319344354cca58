import * as sst from "@serverless-stack/resources";

// SST 0.x style: a notes table with a GSI and a stream, an audit table its consumer writes to, handlers on
// aws-sdk v2's DocumentClient that find the tables through their environment.
export default class NotesStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const audit = new sst.Table(this, "Audit", {
      fields: { noteId: sst.TableFieldType.STRING, sequence: sst.TableFieldType.STRING },
      primaryIndex: { partitionKey: "noteId", sortKey: "sequence" },
    });

    const notes = new sst.Table(this, "Notes", {
      fields: {
        userId: sst.TableFieldType.STRING,
        noteId: sst.TableFieldType.STRING,
        createdAt: sst.TableFieldType.NUMBER,
      },
      primaryIndex: { partitionKey: "userId", sortKey: "noteId" },
      globalIndexes: {
        byCreatedAt: { partitionKey: "userId", sortKey: "createdAt" },
      },
      stream: true,
      defaultFunctionProps: { environment: { auditTableName: audit.tableName } },
      consumers: { audit: "src/audit.main" },
    });

    const api = new sst.Api(this, "Api", {
      defaultFunctionProps: {
        environment: { tableName: notes.dynamodbTable.tableName, auditTableName: audit.tableName },
      },
      routes: {
        "POST /notes": "src/create.main",
        "GET /notes": "src/list.main",
        "GET /notes/{id}": "src/get.main",
        "DELETE /notes/{id}": "src/delete.main",
        "GET /notes/{id}/audit": "src/audit-log.main",
      },
    });
    api.attachPermissions([notes, audit]);

    this.addOutputs({ ApiEndpoint: api.url, TableName: notes.tableName });
  }
}
