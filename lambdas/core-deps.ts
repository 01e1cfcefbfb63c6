import type { ApprovalIndex, ApprovalStore, Clock, DeployLog, Pipeline, Random } from "../core/ports.js";
import { CodePipelineAdapter } from "./aws/codepipeline.js";
import { DynamoDeployLog } from "./aws/deploy-log.js";
import { DynamoApprovalStore } from "./aws/dynamodb-store.js";
import { codePipelineClient, cryptoRandom, dynamoClient, systemClock } from "./clients.js";
import type { CoreConfig } from "./config.js";

/** The core's adapters: what every handler and channel is built on (one definition). */
export interface CoreDeps {
  store: ApprovalStore & ApprovalIndex;
  pipeline: Pipeline;
  clock: Clock;
  random: Random;
  /** What production last received from each approval action (the base of the next release). */
  deploys: DeployLog;
}

/**
 * The real core adapters, built once per container from the config. Kept apart from the channel
 * wiring so `intake` and `events` bundle none of the channels (Bolt, Probot).
 */
export function coreDeps(config: CoreConfig): CoreDeps {
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
