import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { type PullRequestIndex, prKey, type ReplyLog, replyKey } from "../../bot/github/pr-index.js";
import { APPROVALS_TABLE as T } from "./approvals-table.js";

const DAY_S = 86_400;

export interface DynamoPullRequestIndexOptions {
  tableName: string;
  client?: DynamoDBClient;
  /** As the store's: an entry lives as long as the approval records it points at. */
  retentionDays?: number;
}

/**
 * The pull request index and the reply log as single items in the approvals table
 * (`github-pr#<owner/repo>#<n>` with a string set of approval ids, `github-replied#<id>#<login>#<reason>`).
 * Single-item writes only (dynalite has no transactions); no index attributes, so the sweeper's and
 * the stream's views skip them; TTL like the approvals they name (expiry + retention).
 */
export class DynamoPullRequestIndex implements PullRequestIndex, ReplyLog {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retentionS: number;

  constructor(options: DynamoPullRequestIndexOptions) {
    this.tableName = options.tableName;
    this.retentionS = (options.retentionDays ?? 90) * DAY_S;
    this.doc = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}));
  }

  private ttl(keepUntil: string): number {
    return Math.floor(Date.parse(keepUntil) / 1000) + this.retentionS;
  }

  async add(repo: string, pr: number, approvalIds: string[], keepUntil: string): Promise<void> {
    if (approvalIds.length === 0) return;
    const base = {
      TableName: this.tableName,
      Key: { [T.partitionKey]: `github-pr#${prKey(repo, pr)}` },
      ExpressionAttributeNames: { "#ids": "approvalIds" } as Record<string, string>,
    };
    const ids = new Set(approvalIds);
    try {
      // The item lives as long as its longest-lived approval: the TTL only ever moves later.
      await this.doc.send(
        new UpdateCommand({
          ...base,
          UpdateExpression: "ADD #ids :ids SET #ttl = :ttl",
          ConditionExpression: "attribute_not_exists(#ttl) OR #ttl < :ttl",
          ExpressionAttributeNames: { ...base.ExpressionAttributeNames, "#ttl": T.ttlAttribute },
          ExpressionAttributeValues: { ":ids": ids, ":ttl": this.ttl(keepUntil) },
        }),
      );
    } catch (e: unknown) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      await this.doc.send(
        new UpdateCommand({
          ...base,
          UpdateExpression: "ADD #ids :ids",
          ExpressionAttributeValues: { ":ids": ids },
        }),
      );
    }
  }

  async approvalsOn(repo: string, pr: number): Promise<string[]> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [T.partitionKey]: `github-pr#${prKey(repo, pr)}` },
        ConsistentRead: true,
      }),
    );
    const ids: unknown = Item?.approvalIds;
    return ids instanceof Set ? [...ids].filter((id): id is string => typeof id === "string") : [];
  }

  async first(approvalId: string, login: string, reason: string, keepUntil: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [T.partitionKey]: `github-replied#${replyKey(approvalId, login, reason)}`,
            [T.ttlAttribute]: this.ttl(keepUntil),
          },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": T.partitionKey },
        }),
      );
      return true;
    } catch (e: unknown) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
