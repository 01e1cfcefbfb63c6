import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { DeliveryLog } from "../../bot/github/deliveries.js";
import { APPROVALS_TABLE as T } from "./approvals-table.js";

/** GitHub lets an app redeliver deliveries from the past 3 days; keep ids a little longer. */
const KEEP_DELIVERY_S = 4 * 86_400;
/**
 * A comment can be replayed for as long as an approval it could vote on is open: CodePipeline's
 * longest approval timeout is 60 days (docs/fidelity.md), so comment ids are kept a little longer.
 */
const KEEP_COMMENT_S = 61 * 86_400;
/** A claim older than the HTTP function's timeout was a crash, not a handler still running. */
const STALE_MS = 60_000;

const deliveryKey = (id: string) => `github-delivery#${id}`;
const commentKey = (id: number) => `github-comment#${id}`;

/**
 * Delivery ids and comment ids as single items in the approvals table: one conditional put claims,
 * so no transactions and no second table are needed (dynalite emulates exactly this). Items carry
 * no index attributes, so the sweeper's and the stream's views skip them, and TTL removes them.
 */
export class DynamoDeliveryLog implements DeliveryLog {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient = new DynamoDBClient({}),
    private readonly now: () => number = Date.now,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  claim(deliveryId: string): Promise<boolean> {
    return this.claimKey(deliveryKey(deliveryId), KEEP_DELIVERY_S);
  }

  done(deliveryId: string): Promise<void> {
    return this.doneKey(deliveryKey(deliveryId));
  }

  release(deliveryId: string): Promise<void> {
    return this.releaseKey(deliveryKey(deliveryId));
  }

  claimComment(commentId: number): Promise<boolean> {
    return this.claimKey(commentKey(commentId), KEEP_COMMENT_S);
  }

  doneComment(commentId: number): Promise<void> {
    return this.doneKey(commentKey(commentId));
  }

  releaseComment(commentId: number): Promise<void> {
    return this.releaseKey(commentKey(commentId));
  }

  private async claimKey(key: string, keepS: number): Promise<boolean> {
    const now = this.now();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [T.partitionKey]: key,
            state: "processing",
            claimedAt: now,
            [T.ttlAttribute]: Math.floor(now / 1000) + keepS,
          },
          ConditionExpression: "attribute_not_exists(#pk) OR (#state = :processing AND #claimedAt < :stale)",
          ExpressionAttributeNames: { "#pk": T.partitionKey, "#state": "state", "#claimedAt": "claimedAt" },
          ExpressionAttributeValues: { ":processing": "processing", ":stale": now - STALE_MS },
        }),
      );
      return true;
    } catch (e: unknown) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  private async doneKey(key: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [T.partitionKey]: key },
        UpdateExpression: "SET #state = :done",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":done": "done" },
      }),
    );
  }

  private async releaseKey(key: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { [T.partitionKey]: key } }));
  }
}
