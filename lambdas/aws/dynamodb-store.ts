import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from "@aws-sdk/lib-dynamodb";
import { type Approval, isFinal } from "../../core/approval.js";
import { VersionConflict } from "../../core/errors.js";
import type { ApprovalIndex, ApprovalStore } from "../../core/ports.js";
import { APPROVALS_TABLE as T } from "./approvals-table.js";

const DAY_S = 86_400;

export interface DynamoStoreOptions {
  tableName: string;
  client?: DynamoDBClient;
  /** How long a record outlives its expiry before TTL may delete it (the audit trail). */
  retentionDays?: number;
}

/**
 * The `decided` index's keys (sparse): set once a person decided (the decision's time), or once
 * the approval closed without one (expired, closed elsewhere: its last change). Open ones have none.
 */
export function decidedAtOf(approval: Approval): string | undefined {
  return approval.decision?.at ?? (isFinal(approval) ? approval.updatedAt : undefined);
}

function decidedKeys(approval: Approval): Record<string, string> {
  const at = decidedAtOf(approval);
  return at ? { [T.decided.partitionKey]: `decided#${at.slice(0, 7)}`, [T.decided.sortKey]: at } : {};
}

const keyOf = (id: string) => ({ [T.partitionKey]: `approval#${id}` });

/**
 * ApprovalStore on DynamoDB. Creation is a conditional put on the key; every later write is a
 * conditional put on `version`; reads are strongly consistent, so a decision never acts on a stale copy.
 */
export class DynamoApprovalStore implements ApprovalStore, ApprovalIndex {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retentionS: number;

  constructor(options: DynamoStoreOptions) {
    this.tableName = options.tableName;
    this.retentionS = (options.retentionDays ?? 90) * DAY_S;
    this.doc = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    });
  }

  private toItem(approval: Approval): Record<string, unknown> {
    const expiresS = Math.floor(Date.parse(approval.request.expiresAt) / 1000);
    const executionId = approval.context.executionId;
    return {
      ...approval,
      ...keyOf(approval.id),
      [T.ttlAttribute]: expiresS + this.retentionS,
      [T.open.sortKey]: approval.request.expiresAt,
      ...(executionId ? { [T.byExecution.partitionKey]: `${approval.request.pipeline}#${executionId}` } : {}),
      ...(isFinal(approval) ? {} : { [T.open.partitionKey]: "open" }),
      ...decidedKeys(approval),
    };
  }

  private fromItem(item: Record<string, unknown>): Approval {
    const {
      [T.partitionKey]: _pk,
      [T.ttlAttribute]: _ttl,
      [T.open.sortKey]: _expires,
      [T.byExecution.partitionKey]: _exec,
      [T.open.partitionKey]: _open,
      [T.decided.partitionKey]: _month,
      [T.decided.sortKey]: _decidedAt,
      ...rest
    } = item;
    if (typeof rest.id !== "string" || typeof rest.version !== "number" || typeof rest.state !== "string") {
      throw new Error(`Approval item ${String(_pk)} is not an approval record`);
    }
    // Only this class writes the table, through toItem: the shape is ours.
    return rest as unknown as Approval;
  }

  async create(approval: Approval): Promise<{ created: boolean; approval: Approval }> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.toItem(approval),
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": T.partitionKey },
        }),
      );
      return { created: true, approval };
    } catch (e: unknown) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      const existing = await this.get(approval.id);
      if (!existing) throw new Error(`Approval ${approval.id} exists but cannot be read back`);
      return { created: false, approval: existing };
    }
  }

  async get(id: string): Promise<Approval | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(id), ConsistentRead: true }),
    );
    return out.Item ? this.fromItem(out.Item) : undefined;
  }

  async update(approval: Approval): Promise<Approval> {
    const next = { ...approval, version: approval.version + 1 };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.toItem(next),
          ConditionExpression: "#version = :read",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":read": approval.version },
        }),
      );
      return next;
    } catch (e: unknown) {
      if (e instanceof ConditionalCheckFailedException)
        throw new VersionConflict(approval.id, approval.version);
      throw e;
    }
  }

  /** The approval a CodePipeline run is waiting on, from the run's execution id. */
  async findByExecution(pipeline: string, executionId: string): Promise<Approval[]> {
    return this.queryIds({
      IndexName: T.byExecution.indexName,
      KeyConditionExpression: "#k = :k",
      ExpressionAttributeNames: { "#k": T.byExecution.partitionKey },
      ExpressionAttributeValues: { ":k": `${pipeline}#${executionId}` },
    });
  }

  /** Approvals that are not final, soonest expiry first (the sweeper's and the dashboard's view). */
  async listOpen(): Promise<Approval[]> {
    return this.queryIds({
      IndexName: T.open.indexName,
      KeyConditionExpression: "#k = :open",
      ExpressionAttributeNames: { "#k": T.open.partitionKey },
      ExpressionAttributeValues: { ":open": "open" },
    });
  }

  /**
   * Every approval, final ones included: a full Scan, for the local dashboard and operators'
   * tools. Request paths never use it (they have the indexes).
   */
  async listAll(): Promise<Approval[]> {
    const found: Approval[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          ExclusiveStartKey: start,
          // The table also holds other items (GitHub delivery ids); only approvals are ours to read.
          FilterExpression: "begins_with(#pk, :approval)",
          ExpressionAttributeNames: { "#pk": T.partitionKey },
          ExpressionAttributeValues: { ":approval": "approval#" },
        }),
      );
      for (const item of page.Items ?? []) found.push(this.fromItem(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }

  // The indexes project keys only (cheap to keep); each hit is read back consistently.
  private async queryIds(
    query: Omit<ConstructorParameters<typeof QueryCommand>[0], "TableName">,
  ): Promise<Approval[]> {
    const found: Approval[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({ ...query, TableName: this.tableName, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) {
        const pk = item[T.partitionKey];
        if (typeof pk !== "string") continue;
        const approval = await this.get(pk.slice("approval#".length));
        if (approval) found.push(approval);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }
}
