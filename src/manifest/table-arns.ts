import { LOCAL_ACCOUNT_ID } from "./manifest.js";

/** The ARN DynamoDB gives a table: `arn:aws:dynamodb:<region>:<account>:table/<name>`. */
export function tableArn(region: string, tableName: string): string {
  return `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT_ID}:table/${tableName}`;
}

/**
 * A stream's ARN: the table's, then `/stream/<label>`, where DynamoDB's label is the time the stream was
 * enabled. Locally the label is fixed, so the ARN a stack prints matches the one in stream records.
 */
export const LOCAL_STREAM_LABEL = "1970-01-01T00:00:00.000";

export function tableStreamArn(region: string, tableName: string): string {
  return `${tableArn(region, tableName)}/stream/${LOCAL_STREAM_LABEL}`;
}
