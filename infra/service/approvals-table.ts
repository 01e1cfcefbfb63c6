import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import { approvalsTableDefinition } from "../../lambdas/aws/approvals-table.js";

const TYPES: Record<string, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

/**
 * The approvals table, built from the same definition the local stack and the tests create, so
 * the keys and indexes the store queries are the ones deployed. AWS adds what only AWS has:
 * TTL (cleanup only; expiry is enforced in code), point-in-time recovery (the audit trail), and a
 * keys-only stream for the sync projector, which re-reads the record anyway.
 */
export function createApprovalsTable(scope: Construct, id: string, ttlAttribute: string): dynamodb.Table {
  const definition = approvalsTableDefinition("unused");
  const attribute = (name: string | undefined): dynamodb.Attribute => {
    const found = definition.AttributeDefinitions?.find((a) => a.AttributeName === name);
    const type = found?.AttributeType ? TYPES[found.AttributeType] : undefined;
    if (!name || !type) throw new Error(`approvals table definition: no attribute type for ${name}`);
    return { name, type };
  };
  const keys = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) => {
    const hash = schema?.find((k) => k.KeyType === "HASH")?.AttributeName;
    const range = schema?.find((k) => k.KeyType === "RANGE")?.AttributeName;
    return { partitionKey: attribute(hash), ...(range ? { sortKey: attribute(range) } : {}) };
  };

  const table = new dynamodb.Table(scope, id, {
    ...keys(definition.KeySchema),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: ttlAttribute,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    stream: dynamodb.StreamViewType.KEYS_ONLY,
    // Approvals are the audit trail: deleting the stack must not delete them.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    if (!index.IndexName) continue;
    table.addGlobalSecondaryIndex({
      indexName: index.IndexName,
      ...keys(index.KeySchema),
      projectionType:
        index.Projection?.ProjectionType === "ALL"
          ? dynamodb.ProjectionType.ALL
          : dynamodb.ProjectionType.KEYS_ONLY,
    });
  }
  return table;
}
