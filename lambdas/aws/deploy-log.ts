import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { ApprovalTarget, DeployLog } from "../../core/ports.js";
import { APPROVALS_TABLE as T } from "./approvals-table.js";

const keyOf = (t: ApprovalTarget) => ({ [T.partitionKey]: `deployed#${t.pipeline}/${t.stage}/${t.action}` });

/**
 * The commit each approval action last let through to a successful production deploy: one item
 * per action in the approvals table, overwritten only by a later deploy (events arrive out of
 * order). No index attributes, so the sweeper's and the stream's views skip it; no TTL, since a
 * pipeline may not ship for longer than any retention.
 */
export class DynamoDeployLog implements DeployLog {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async lastDeployed(target: ApprovalTarget): Promise<string | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(target), ConsistentRead: true }),
    );
    const commit: unknown = out.Item?.commit;
    return typeof commit === "string" ? commit : undefined;
  }

  async recordDeployed(target: ApprovalTarget, commit: string, at: string): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(target), commit, at },
          ConditionExpression: "attribute_not_exists(#pk) OR #at < :at",
          ExpressionAttributeNames: { "#pk": T.partitionKey, "#at": "at" },
          ExpressionAttributeValues: { ":at": at },
        }),
      );
    } catch (e: unknown) {
      // A later deploy is already recorded: this event arrived late.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }
}
