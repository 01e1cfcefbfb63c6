import { CodePipelineAdapter } from "./aws/codepipeline.js";
import { DynamoApprovalStore } from "./aws/dynamodb-store.js";
import { codePipelineClient, dynamoClient, systemClock } from "./clients.js";
import { loadConfig, loadPolicy } from "./config.js";
import { makeIntakeHandler } from "./handlers/intake.js";
import { createLogger } from "./log.js";

const config = loadConfig();

export const handler = makeIntakeHandler({
  store: new DynamoApprovalStore({
    tableName: config.tableName,
    client: dynamoClient,
    retentionDays: config.retentionDays,
  }),
  pipeline: new CodePipelineAdapter(codePipelineClient),
  clock: systemClock,
  policy: loadPolicy(config.policyFile),
  log: createLogger({ level: config.logLevel, name: "intake" }),
});
