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
  /**
   * Sparse: approvals someone decided, or that closed without a decision (expired, closed in the
   * console, superseded), keyed by month (`decided#2026-12`) and sorted by when (ISO 8601 UTC).
   * `greenlight audit` Queries one partition per month of the period, so "all pipelines" needs no
   * Scan and no partition grows without bound (a month's decisions; a constant key would make one
   * hot partition forever). "One pipeline" is the same Query with a filter on the pipeline: it reads
   * the other pipelines' decisions of those months too, which an audit run (rare, by an operator)
   * can afford — cheaper than a second index every decision pays for. Projects ALL attributes so
   * the export streams the Query's pages without one read per row.
   */
  decided: { indexName: "decided", partitionKey: "decidedMonth", sortKey: "decidedAt" },
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
      { AttributeName: t.decided.partitionKey, AttributeType: "S" },
      { AttributeName: t.decided.sortKey, AttributeType: "S" },
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
      decidedIndex(),
    ],
  };
}

/**
 * Not added to an existing table: dynalite 4 accepts UpdateTable's GlobalSecondaryIndexUpdates
 * Create but silently ignores it, so a local data dir made before the `decided` index lacks it
 * (`greenlight audit` says so); on AWS the CDK stack adds it (and DynamoDB backfills it).
 */
function decidedIndex() {
  const t = APPROVALS_TABLE.decided;
  return {
    IndexName: t.indexName,
    KeySchema: [
      { AttributeName: t.partitionKey, KeyType: "HASH" as const },
      { AttributeName: t.sortKey, KeyType: "RANGE" as const },
    ],
    Projection: { ProjectionType: "ALL" as const },
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
