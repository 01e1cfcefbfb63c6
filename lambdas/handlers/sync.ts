import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import type { Projector } from "../../bot/projector.js";
import type { Logger } from "../log.js";

const PREFIX = "approval#";

/**
 * DynamoDB Streams → the projector. The stream only needs keys: the projector reads the current
 * record itself, so a burst of changes to one approval is projected once per batch. A failure
 * reports its record as the batch item failure, so Lambda retries from there (bounded, then the
 * on-failure destination).
 */
export function makeSyncHandler(deps: { project: Projector; log: Logger }) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const done = new Set<string>();
    for (const record of event.Records) {
      const pk = record.dynamodb?.Keys?.pk?.S;
      if (!pk?.startsWith(PREFIX) || record.eventName === "REMOVE") continue;
      const id = pk.slice(PREFIX.length);
      if (done.has(id)) continue;
      try {
        await deps.project(id);
        done.add(id);
      } catch (e: unknown) {
        deps.log.error(
          { approvalId: id, error: e instanceof Error ? e.message : String(e) },
          "sync: projection failed",
        );
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" }] };
      }
    }
    return { batchItemFailures: [] };
  };
}
