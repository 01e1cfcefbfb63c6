import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { ensureApprovalsTable } from "../../lambdas/aws/approvals-table.js";
import { DynamoApprovalStore } from "../../lambdas/aws/dynamodb-store.js";

export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

/** A real SDK client against the run's dynalite server. */
export function dynamoClient(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: inject("dynamoUrl"),
    region: "us-east-2",
    credentials: TEST_CREDENTIALS,
  });
}

/** A fresh approvals table (unique name) and a store on it. */
export async function freshStore(): Promise<{
  store: DynamoApprovalStore;
  tableName: string;
  client: DynamoDBClient;
}> {
  const client = dynamoClient();
  const tableName = `approvals-${randomUUID()}`;
  await ensureApprovalsTable(client, tableName);
  return { store: new DynamoApprovalStore({ tableName, client }), tableName, client };
}
