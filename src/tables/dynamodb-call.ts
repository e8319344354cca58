import { Agent, request } from "node:http";

/**
 * Gatehouse's own calls to the local DynamoDB server (creating tables, reading items around a write): plain
 * JSON over loopback HTTP, DynamoDB's wire protocol, so no AWS SDK is needed at run time.
 */

/** The server checks that requests look signed, not the signature; these headers say so. */
const LOCAL_AUTH_HEADERS = {
  authorization: "AWS4-HMAC-SHA256 Credential=gatehouse/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
  "x-amz-date": "20200101T000000Z",
};

/** An error answer of the DynamoDB API: `type` is the short exception name (`ResourceNotFoundException`). */
export class DynamoDbCallError extends Error {
  constructor(
    readonly operation: string,
    readonly type: string,
    /** The server's own message. */
    readonly detail: string,
  ) {
    super(`${operation}: ${type}: ${detail}`);
    this.name = "DynamoDbCallError";
  }
}

// Gatehouse's calls come in runs (a table's creation, the reads around each write): connections are reused.
const agent = new Agent({ keepAlive: true });

/** Calls `operation` (e.g. `CreateTable`) on the server at `endpoint` and returns its JSON answer. */
export function callDynamoDb(endpoint: string, operation: string, input: unknown): Promise<Record<string, any>> {
  // node:http rather than fetch: fetch's first call in a process costs tens of milliseconds of set-up.
  const body = JSON.stringify(input);
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: "/",
        agent,
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "content-length": Buffer.byteLength(body),
          "x-amz-target": `DynamoDB_20120810.${operation}`,
          ...LOCAL_AUTH_HEADERS,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (chunk: Buffer) => parts.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8");
          let answer: Record<string, any>;
          try {
            answer = text === "" ? {} : JSON.parse(text);
          } catch {
            reject(new DynamoDbCallError(operation, "SerializationException", `not JSON: ${text.slice(0, 200)}`));
            return;
          }
          if ((res.statusCode ?? 500) >= 300) {
            const type = String(answer.__type ?? "UnknownError").split("#").pop() as string;
            reject(new DynamoDbCallError(operation, type, String(answer.message ?? answer.Message ?? res.statusMessage ?? "")));
          } else {
            resolve(answer);
          }
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
