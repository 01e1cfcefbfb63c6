import { InvalidInput } from "./errors.js";
import * as z from "./zod.js";
import { firstIssue } from "./zod-issues.js";

// The states CodePipeline documents for its EventBridge events (user guide, "Monitoring CodePipeline
// events", valid state values). The lists grow (STOPPING/STOPPED and ABANDONED came after the
// first version of that page; stage conditions can skip a stage), so a state outside them is
// kept as it came and handled as "nothing to do", never a reason to drop the event.
export const PIPELINE_STATES = [
  "STARTED",
  "SUCCEEDED",
  "RESUMED",
  "FAILED",
  "CANCELED",
  "SUPERSEDED",
  "STOPPED",
  "STOPPING",
] as const;
export const STAGE_STATES = [
  "STARTED",
  "SUCCEEDED",
  "RESUMED",
  "FAILED",
  "CANCELED",
  "STOPPED",
  "STOPPING",
] as const;
export const ACTION_STATES = ["STARTED", "SUCCEEDED", "FAILED", "ABANDONED", "CANCELED"] as const;

/** A documented state, or any other string CodePipeline may send later (kept as it is). */
type Open<T extends string> = T | (string & {});
const state = z.string().check(z.minLength(1));

const base = {
  pipeline: z.string().check(z.minLength(1)),
  "execution-id": z.string().check(z.minLength(1)),
};

const actionDetail = z.object({
  ...base,
  stage: z.string().check(z.minLength(1)),
  action: z.string().check(z.minLength(1)),
  state,
  type: z.object({ category: z.string() }),
});
const stageDetail = z.object({
  ...base,
  stage: z.string().check(z.minLength(1)),
  state,
});
const pipelineDetail = z.object({ ...base, state });

const eventSchema = z.discriminatedUnion("detail-type", [
  z.object({
    "detail-type": z.literal("CodePipeline Action Execution State Change"),
    region: z.string(),
    time: z.string(),
    detail: actionDetail,
  }),
  z.object({
    "detail-type": z.literal("CodePipeline Stage Execution State Change"),
    region: z.string(),
    time: z.string(),
    detail: stageDetail,
  }),
  z.object({
    "detail-type": z.literal("CodePipeline Pipeline Execution State Change"),
    region: z.string(),
    time: z.string(),
    detail: pipelineDetail,
  }),
  z.object({ "detail-type": z.literal("Scheduled Event"), time: z.string() }),
]);

export type PipelineEvent =
  | {
      kind: "action";
      region: string;
      pipeline: string;
      executionId: string;
      stage: string;
      action: string;
      state: Open<(typeof ACTION_STATES)[number]>;
      category: string;
    }
  | {
      kind: "stage";
      region: string;
      pipeline: string;
      executionId: string;
      stage: string;
      state: Open<(typeof STAGE_STATES)[number]>;
    }
  | {
      kind: "pipeline";
      region: string;
      pipeline: string;
      executionId: string;
      state: Open<(typeof PIPELINE_STATES)[number]>;
    }
  | { kind: "schedule"; time: string };

/** CodePipeline's EventBridge state-change events, and the scheduled sweep's tick. */
export function parsePipelineEvent(input: unknown): PipelineEvent {
  const parsed = eventSchema.safeParse(input);
  if (!parsed.success) {
    const { field, expected } = firstIssue(parsed.error);
    throw new InvalidInput("EventBridge event", field, expected);
  }
  const e = parsed.data;
  switch (e["detail-type"]) {
    case "Scheduled Event":
      return { kind: "schedule", time: e.time };
    case "CodePipeline Action Execution State Change": {
      const d = e.detail;
      return {
        kind: "action",
        region: e.region,
        pipeline: d.pipeline,
        executionId: d["execution-id"],
        stage: d.stage,
        action: d.action,
        state: d.state,
        category: d.type.category,
      };
    }
    case "CodePipeline Stage Execution State Change": {
      const d = e.detail;
      return {
        kind: "stage",
        region: e.region,
        pipeline: d.pipeline,
        executionId: d["execution-id"],
        stage: d.stage,
        state: d.state,
      };
    }
    case "CodePipeline Pipeline Execution State Change": {
      const d = e.detail;
      return {
        kind: "pipeline",
        region: e.region,
        pipeline: d.pipeline,
        executionId: d["execution-id"],
        state: d.state,
      };
    }
  }
}
