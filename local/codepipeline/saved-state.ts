import { savedPayload } from "../state-file.js";
import type { PipelineRecord } from "./types.js";

// Every Date in the model sits under one of these keys; JSON turns them into ISO strings.
const DATE_KEYS = new Set([
  "created",
  "updated",
  "startTime",
  "lastUpdateTime",
  "lastStatusChange",
  "expiresAt",
  "at",
]);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The simulator's pipelines as JSON, for the local stack's data folder. */
export function serializePipelines(records: PipelineRecord[]): string {
  return JSON.stringify({ version: 1, pipelines: records });
}

/**
 * Saved pipelines, Dates revived. The file is the stack's own, written by `serializePipelines`;
 * anything else is refused rather than half-loaded.
 */
export function parsePipelines(text: string): PipelineRecord[] {
  const parsed: unknown = JSON.parse(text, (key, value) =>
    DATE_KEYS.has(key) && typeof value === "string" && ISO.test(value) ? new Date(value) : value,
  );
  const pipelines = savedPayload(parsed, "pipelines", "CodePipeline simulator state");
  if (!Array.isArray(pipelines)) throw new Error("not a saved CodePipeline simulator state (version 1)");
  // Written by serializePipelines from the model's own records: the shape is ours.
  return pipelines as PipelineRecord[];
}
