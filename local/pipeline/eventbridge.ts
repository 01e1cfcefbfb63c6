import { randomUUID } from "node:crypto";
import type { ActionCategory, ModelEvent } from "../codepipeline/simulator.js";

const ACCOUNT = "123456789012";

// CodePipeline's console states are CamelCase; its EventBridge events say the same in capitals,
// with a few words of their own.
const PIPELINE_STATE: Record<string, string> = {
  InProgress: "STARTED",
  Succeeded: "SUCCEEDED",
  Failed: "FAILED",
  Stopped: "STOPPED",
  Superseded: "SUPERSEDED",
};
const STAGE_STATE: Record<string, string> = {
  InProgress: "STARTED",
  Succeeded: "SUCCEEDED",
  Failed: "FAILED",
  Stopped: "STOPPED",
  Cancelled: "CANCELED",
};
const ACTION_STATE: Record<string, string> = {
  InProgress: "STARTED",
  Succeeded: "SUCCEEDED",
  Failed: "FAILED",
  Abandoned: "ABANDONED",
};
/** The `type` block of action events: who provides each kind of action in the sample pipeline. */
const PROVIDER: Record<ActionCategory, { owner: string; provider: string }> = {
  Source: { owner: "AWS", provider: "CodeStarSourceConnection" },
  Build: { owner: "AWS", provider: "CodeBuild" },
  Test: { owner: "AWS", provider: "CodeBuild" },
  Deploy: { owner: "AWS", provider: "CodeDeploy" },
  Approval: { owner: "AWS", provider: "Manual" },
  Invoke: { owner: "AWS", provider: "Lambda" },
};

/**
 * A simulator state change as CodePipeline publishes it on EventBridge (the shapes of
 * shared/fixtures/eventbridge-*.json): what the events Lambda receives on AWS.
 */
export function toEventBridge(event: ModelEvent, context: { region: string; version: number }) {
  const envelope = {
    version: "0",
    id: randomUUID(),
    source: "aws.codepipeline",
    account: ACCOUNT,
    time: `${event.at.toISOString().slice(0, 19)}Z`,
    region: context.region,
    resources: [`arn:aws:codepipeline:${context.region}:${ACCOUNT}:${event.pipeline}`],
  };
  const base = { pipeline: event.pipeline, version: context.version, "execution-id": event.executionId };
  switch (event.kind) {
    case "pipeline":
      return {
        ...envelope,
        "detail-type": "CodePipeline Pipeline Execution State Change",
        detail: { ...base, state: PIPELINE_STATE[event.status], "pipeline-execution-attempt": 1 },
      };
    case "stage":
      return {
        ...envelope,
        "detail-type": "CodePipeline Stage Execution State Change",
        detail: {
          ...base,
          stage: event.stage,
          state: STAGE_STATE[event.status],
          "pipeline-execution-attempt": 1,
        },
      };
    case "action":
      return {
        ...envelope,
        "detail-type": "CodePipeline Action Execution State Change",
        detail: {
          ...base,
          stage: event.stage,
          action: event.action,
          state: ACTION_STATE[event.status],
          region: context.region,
          type: { ...PROVIDER[event.category], category: event.category, version: "1" },
          "pipeline-execution-attempt": 1,
        },
      };
  }
}

/** EventBridge's scheduled rule firing (the sweep's tick). */
export function scheduledEvent(at: Date, region: string) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: ACCOUNT,
    time: `${at.toISOString().slice(0, 19)}Z`,
    region,
    resources: [`arn:aws:events:${region}:${ACCOUNT}:rule/greenlight-sweep`],
    detail: {},
  };
}
