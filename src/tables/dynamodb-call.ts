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
    message: string,
  ) {
    super(`${operation}: ${type}: ${message}`);
    this.name = "DynamoDbCallError";
  }
}

/** Calls `operation` (e.g. `CreateTable`) on the server at `endpoint` and returns its JSON answer. */
export async function callDynamoDb(endpoint: string, operation: string, input: unknown): Promise<Record<string, any>> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `DynamoDB_20120810.${operation}`, ...LOCAL_AUTH_HEADERS },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  const body = text === "" ? {} : (JSON.parse(text) as Record<string, any>);
  if (!response.ok) {
    const type = String(body.__type ?? "UnknownError").split("#").pop() as string;
    throw new DynamoDbCallError(operation, type, String(body.message ?? body.Message ?? response.statusText));
  }
  return body;
}
