import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../core/errors.js";
import { parsePipelineEvent } from "../../core/pipeline-events.js";
import { fixture } from "./builders.js";

describe("parsePipelineEvent", () => {
  it("reads the documented action execution state change", () => {
    expect(parsePipelineEvent(fixture("eventbridge-action-execution-state-change.json"))).toEqual({
      kind: "action",
      region: "us-east-2",
      pipeline: "shop-web",
      executionId: "8e5f1a2b-3c4d-4e5f-9a8b-7c6d5e4f3a2b",
      stage: "Approve",
      action: "StakeholderApproval",
      state: "STARTED",
      category: "Approval",
    });
  });

  it("reads the documented pipeline execution state change", () => {
    expect(parsePipelineEvent(fixture("eventbridge-pipeline-execution-state-change.json"))).toMatchObject({
      kind: "pipeline",
      state: "SUCCEEDED",
      executionId: "8e5f1a2b-3c4d-4e5f-9a8b-7c6d5e4f3a2b",
    });
  });

  it("reads a stage change and the scheduled tick", () => {
    const pipeline = fixture("eventbridge-pipeline-execution-state-change.json") as { detail: object };
    const stage = {
      ...pipeline,
      "detail-type": "CodePipeline Stage Execution State Change",
      detail: { ...pipeline.detail, stage: "Production", state: "STARTED" },
    };

    expect(parsePipelineEvent(stage)).toMatchObject({ kind: "stage", stage: "Production", state: "STARTED" });
    expect(parsePipelineEvent({ "detail-type": "Scheduled Event", time: "2026-11-29T20:30:00Z" })).toEqual({
      kind: "schedule",
      time: "2026-11-29T20:30:00Z",
    });
  });

  it("names the field of an event it cannot read", () => {
    const event = fixture("eventbridge-action-execution-state-change.json") as { detail: object };
    const broken = { ...event, detail: { ...event.detail, state: 42 } };

    expect(() => parsePipelineEvent(broken)).toThrow(InvalidInput);
    expect(() => parsePipelineEvent(broken)).toThrow(/detail\.state/);
    expect(() => parsePipelineEvent({ "detail-type": "Something Else" })).toThrow(/detail-type/);
  });

  describe("keeps states outside today's documented lists (issue 13 item 7)", () => {
    const pipeline = fixture("eventbridge-pipeline-execution-state-change.json") as { detail: object };
    const action = fixture("eventbridge-action-execution-state-change.json") as { detail: object };
    const stage = (state: string) => ({
      ...pipeline,
      "detail-type": "CodePipeline Stage Execution State Change",
      detail: { ...pipeline.detail, stage: "Production", state },
    });

    it.each([["SKIPPED"], ["PAUSED_FOR_CONDITION"]])("a stage %s", (state) => {
      expect(parsePipelineEvent(stage(state))).toMatchObject({ kind: "stage", stage: "Production", state });
    });

    it("an action state added later", () => {
      const later = { ...action, detail: { ...action.detail, state: "IN_REVIEW" } };

      expect(parsePipelineEvent(later)).toMatchObject({ kind: "action", state: "IN_REVIEW" });
    });

    it("a pipeline state added later", () => {
      const later = { ...pipeline, detail: { ...pipeline.detail, state: "ROLLED_BACK" } };

      expect(parsePipelineEvent(later)).toMatchObject({ kind: "pipeline", state: "ROLLED_BACK" });
    });
  });
});
