import { createServer, type Server } from "node:http";

export interface FakeStack {
  name: string;
  app: string;
  stage: string;
  endpoint: string;
}

export interface FakeAws {
  endpoint: string;
  /** Every request seen, as `Action` (query protocol) or `X-Amz-Target` (JSON protocol) or `METHOD path`. */
  calls: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for AWS on 127.0.0.1, enough to drive the CDK toolkit past its first calls without AWS:
 * STS says who the caller is, CloudFormation lists `stacks` and knows no stack by name, and everything else
 * is refused with AccessDenied, so a deploy stops at its first real step with AWS's own kind of error.
 */
export function startFakeAws(stacks: FakeStack[] = []): Promise<FakeAws> {
  const calls: string[] = [];
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
      if (action === "GetCallerIdentity") {
        return xml(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/test</Arn><UserId>AIDATEST</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
      }
      if (action === "DescribeStacks" && !form.get("StackName")) {
        const members = stacks
          .map(
            (stack) =>
              `<member><StackName>${stack.name}</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/${stack.name}/1</StackId><Description>${stack.app} stage ${stack.stage}, stack s (deployed by Gatehouse)</Description><CreationTime>2026-12-01T10:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Tags><member><Key>sst:app</Key><Value>${stack.app}</Value></member><member><Key>sst:stage</Key><Value>${stack.stage}</Value></member></Tags><Outputs><member><OutputKey>ApiEndpoint</OutputKey><OutputValue>${stack.endpoint}</OutputValue></member></Outputs></member>`,
          )
          .join("");
        return xml(
          `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks>${members}</Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></DescribeStacksResponse>`,
        );
      }
      if (action === "DescribeStacks") {
        return xml(
          `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${form.get("StackName")} does not exist</Message></Error><RequestId>r3</RequestId></ErrorResponse>`,
          400,
        );
      }
      if (form.get("Action")) {
        return xml(`<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>fake AWS: ${action} is not allowed</Message></Error><RequestId>r4</RequestId></ErrorResponse>`, 403);
      }
      res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "AccessDeniedException" });
      res.end(JSON.stringify({ __type: "AccessDeniedException", message: `fake AWS: ${action} is not allowed` }));
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
