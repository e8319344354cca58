import { DynamoDB } from "aws-sdk";

// A named import of aws-sdk, as some handlers write it.
const client = new DynamoDB.DocumentClient();

export const putEntry = (params) => client.put(params).promise();
export const queryEntries = (params) => client.query(params).promise();
