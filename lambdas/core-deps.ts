import { CodePipelineAdapter } from "./aws/codepipeline.js";
import { DynamoDeployLog } from "./aws/deploy-log.js";
import { DynamoApprovalStore } from "./aws/dynamodb-store.js";
import { codePipelineClient, cryptoRandom, dynamoClient, systemClock } from "./clients.js";
import type { Config } from "./config.js";

/**
 * The real core adapters, built once per container from the config. Kept apart from the channel
 * wiring so `intake` and `events` bundle none of the channels (Bolt, Probot).
 */
export function coreDeps(config: Config) {
  return {
    store: new DynamoApprovalStore({
      tableName: config.tableName,
      client: dynamoClient,
      retentionDays: config.retentionDays,
    }),
    pipeline: new CodePipelineAdapter(codePipelineClient),
    clock: systemClock,
    random: cryptoRandom,
    deploys: new DynamoDeployLog(config.tableName, dynamoClient),
  };
}

export type CoreDeps = ReturnType<typeof coreDeps>;
