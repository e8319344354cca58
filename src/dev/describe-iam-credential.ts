import type { StoredCredential } from "../identity/iam-credentials.js";

/** What dev prints for AWS_IAM routes: the key pair to sign requests with, ready to export. */
export function describeIamCredential(credential: StoredCredential): string {
  return [
    `AWS_IAM routes accept requests signed (SigV4, service execute-api) with the local IAM user ${credential.userName}:`,
    `  export AWS_ACCESS_KEY_ID=${credential.accessKeyId}`,
    `  export AWS_SECRET_ACCESS_KEY=${credential.secretAccessKey}`,
    "  More: gatehouse idp credentials create --name <user>",
  ].join("\n");
}
