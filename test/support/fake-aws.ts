import { createServer, type Server } from "node:http";

export interface FakeStack {
  name: string;
  app: string;
  stage: string;
  endpoint: string;
}

export interface FakeAwsOptions {
  /** Stacks `DescribeStacks` (without a name) lists, as deployed by Gatehouse. */
  listed?: FakeStack[];
  /**
   * true: the account is bootstrapped and CloudFormation creates and deletes stacks (instantly), so the
   * toolkit's whole deploy and destroy runs; false: everything past STS is refused with AccessDenied.
   */
  deployable?: boolean;
  /** What a created stack's ApiEndpoint output says. */
  endpoint?: string;
}

export interface FakeAws {
  endpoint: string;
  /** Every request seen, as `Action` (query protocol), `X-Amz-Target` (JSON protocol) or `METHOD path`. */
  calls: string[];
  close(): Promise<void>;
}

const ACCOUNT = "123456789012";

/**
 * A stand-in for AWS on 127.0.0.1, answering the calls the CDK toolkit makes (STS, SSM's bootstrap version,
 * S3 asset uploads, CloudFormation change sets, stack events and deletes) just enough for `deploy` and
 * `remove --target aws` to run through without AWS. Only loopback is ever contacted.
 */
export function startFakeAws(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const calls: string[] = [];
  const created = new Map<string, string>(); // stack name → status
  const arn = (name: string) => `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/${name}/1`;
  const nameOf = (given: string | null) => (given ?? "").replace(/^arn:aws:cloudformation:[^:]+:\d+:stack\/([^/]+)\/.*$/, "$1");
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const form = new URLSearchParams(body);
      const action = form.get("Action") ?? (req.headers["x-amz-target"] as string | undefined) ?? `${req.method} ${req.url}`;
      calls.push(action);
      const xml = (text: string, status = 200) => {
        res.writeHead(status, { "content-type": "text/xml" });
        res.end(text);
      };
      const cfn = (name: string, inner: string) =>
        xml(`<${name}Response xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><${name}Result>${inner}</${name}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${name}Response>`);
      const denied = () => {
        if (form.get("Action") || req.url?.includes("?")) {
          return xml(`<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>fake AWS: ${action} is not allowed</Message></Error><RequestId>r</RequestId></ErrorResponse>`, 403);
        }
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "AccessDeniedException" });
        res.end(JSON.stringify({ __type: "AccessDeniedException", message: `fake AWS: ${action} is not allowed` }));
      };
      if (action === "GetCallerIdentity") {
        return xml(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/test</Arn><UserId>AIDATEST</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
      }
      if (action === "DescribeStacks" && !form.get("StackName")) {
        const members = (options.listed ?? [])
          .map(
            (stack) =>
              `<member><StackName>${stack.name}</StackName><StackId>${arn(stack.name)}</StackId><Description>${stack.app} stage ${stack.stage}, stack s (deployed by Gatehouse)</Description><CreationTime>2026-12-01T10:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Tags><member><Key>sst:app</Key><Value>${stack.app}</Value></member><member><Key>sst:stage</Key><Value>${stack.stage}</Value></member></Tags><Outputs><member><OutputKey>ApiEndpoint</OutputKey><OutputValue>${stack.endpoint}</OutputValue></member></Outputs></member>`,
          )
          .join("");
        return cfn("DescribeStacks", `<Stacks>${members}</Stacks>`);
      }
      if (action === "DescribeStacks") {
        const name = nameOf(form.get("StackName"));
        const status = created.get(name);
        if (!status) {
          return xml(`<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>`, 400);
        }
        const outputs = `<Outputs><member><OutputKey>ApiEndpoint</OutputKey><OutputValue>${options.endpoint ?? "https://fake.execute-api.us-east-1.amazonaws.com"}</OutputValue></member></Outputs>`;
        return cfn("DescribeStacks", `<Stacks><member><StackName>${name}</StackName><StackId>${arn(name)}</StackId><CreationTime>2026-12-01T10:00:00Z</CreationTime><StackStatus>${status}</StackStatus>${outputs}</member></Stacks>`);
      }
      if (!options.deployable) return denied();
      if (action === "AmazonSSM.GetParameter") {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        return res.end(JSON.stringify({ Parameter: { Name: "/cdk-bootstrap/hnb659fds/version", Value: "30", Type: "String" } }));
      }
      if (req.method === "PUT") {
        res.writeHead(200, { etag: '"fake"' });
        return res.end();
      }
      if (req.method === "GET" && req.url?.includes("?location")) return xml(`<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></LocationConstraint>`);
      if (req.method === "GET" && req.url?.includes("?encryption")) {
        return xml(`<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`);
      }
      if (req.method === "GET" && req.url?.includes("list-type=2")) return xml(`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>assets</Name><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`);
      if (action === "CreateChangeSet") {
        const name = nameOf(form.get("StackName"));
        created.set(name, "REVIEW_IN_PROGRESS");
        return cfn("CreateChangeSet", `<Id>arn:aws:cloudformation:us-east-1:${ACCOUNT}:changeSet/cs/1</Id><StackId>${arn(name)}</StackId>`);
      }
      if (action === "DescribeChangeSet") {
        const name = nameOf(form.get("StackName")) || [...created.keys()][0];
        return cfn(
          "DescribeChangeSet",
          `<ChangeSetName>cs</ChangeSetName><ChangeSetId>arn:aws:cloudformation:us-east-1:${ACCOUNT}:changeSet/cs/1</ChangeSetId><StackName>${name}</StackName><StackId>${arn(name)}</StackId><CreationTime>${new Date(Date.now() - 1000).toISOString()}</CreationTime><Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus><Changes><member><Type>Resource</Type><ResourceChange><Action>Add</Action><LogicalResourceId>ApiF70053CD</LogicalResourceId><ResourceType>AWS::ApiGatewayV2::Api</ResourceType></ResourceChange></member></Changes>`,
        );
      }
      if (action === "ExecuteChangeSet") {
        created.set(nameOf(form.get("StackName")) || [...created.keys()][0], "CREATE_COMPLETE");
        return cfn("ExecuteChangeSet", "");
      }
      if (action === "DeleteStack") {
        // As CloudFormation: a deleted stack is still described, as DELETE_COMPLETE, while its deletion is awaited.
        created.set(nameOf(form.get("StackName")), "DELETE_COMPLETE");
        return cfn("DeleteStack", "");
      }
      if (action === "DescribeStackEvents") {
        const name = nameOf(form.get("StackName"));
        const status = created.get(name) ?? "DELETE_COMPLETE";
        return cfn(
          "DescribeStackEvents",
          `<StackEvents><member><StackName>${name}</StackName><StackId>${arn(name)}</StackId><EventId>e-${status}</EventId><LogicalResourceId>ApiF70053CD</LogicalResourceId><ResourceType>AWS::ApiGatewayV2::Api</ResourceType><ResourceStatus>${status}</ResourceStatus><Timestamp>${new Date().toISOString()}</Timestamp></member></StackEvents>`,
        );
      }
      return denied();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        calls,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
