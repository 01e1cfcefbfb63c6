import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";

/**
 * The approvals table's shape, shared by the CDK stack, the store and the local stack so they
 * cannot drift. One item per approval.
 */
export const APPROVALS_TABLE = {
  partitionKey: "pk",
  ttlAttribute: "ttl",
  /** Find an approval from a CodePipeline event (pipeline + execution id). */
  byExecution: { indexName: "byExecution", partitionKey: "executionKey" },
  /** Sparse: only approvals that are not final carry `openKey`, so the sweeper reads just those. */
  open: { indexName: "open", partitionKey: "openKey", sortKey: "expiresAt" },
} as const;

export function approvalsTableDefinition(tableName: string): CreateTableCommandInput {
  const t = APPROVALS_TABLE;
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: t.partitionKey, AttributeType: "S" },
      { AttributeName: t.byExecution.partitionKey, AttributeType: "S" },
      { AttributeName: t.open.partitionKey, AttributeType: "S" },
      { AttributeName: t.open.sortKey, AttributeType: "S" },
    ],
    KeySchema: [{ AttributeName: t.partitionKey, KeyType: "HASH" }],
    GlobalSecondaryIndexes: [
      {
        IndexName: t.byExecution.indexName,
        KeySchema: [{ AttributeName: t.byExecution.partitionKey, KeyType: "HASH" }],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
      {
        IndexName: t.open.indexName,
        KeySchema: [
          { AttributeName: t.open.partitionKey, KeyType: "HASH" },
          { AttributeName: t.open.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
    ],
  };
}

/** Create the table unless it exists (local stack and tests; on AWS the CDK stack owns it). */
export async function ensureApprovalsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (e: unknown) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
    await client.send(new CreateTableCommand(approvalsTableDefinition(tableName)));
  }
  // A new table is CREATING for a moment; reads before ACTIVE fail with ResourceNotFound.
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}
