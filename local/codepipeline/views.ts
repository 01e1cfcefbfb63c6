import { AwsError, epochSeconds } from "./protocol.js";
import type { ActionRun, Execution, PipelineRecord } from "./types.js";

/** `GetPipelineState`: each stage's latest execution and each action's latest run. */
export function pipelineStateView(pipeline: PipelineRecord) {
  return {
    pipelineName: pipeline.name,
    pipelineVersion: pipeline.version,
    created: epochSeconds(pipeline.created),
    updated: epochSeconds(pipeline.updated),
    stageStates: pipeline.stages.map((stage) => ({
      stageName: stage.name,
      inboundTransitionState: { enabled: true },
      actionStates: stage.actions.map((action) => {
        const run = action.runs.at(-1);
        return { actionName: action.name, ...(run ? { latestExecution: actionRunView(run) } : {}) };
      }),
      ...(stage.latest
        ? { latestExecution: { pipelineExecutionId: stage.latest.executionId, status: stage.latest.status } }
        : {}),
    })),
  };
}

function actionRunView(run: ActionRun) {
  return {
    actionExecutionId: run.id,
    status: run.status,
    summary: run.summary,
    lastStatusChange: epochSeconds(run.lastStatusChange),
    token: run.token,
    lastUpdatedBy: run.lastUpdatedBy,
    errorDetails: run.errorDetails,
  };
}

export function findExecution(pipeline: PipelineRecord, executionId: string): Execution {
  const execution = pipeline.executions.find((e) => e.id === executionId);
  if (execution) return execution;
  throw new AwsError(
    "PipelineExecutionNotFoundException",
    `Pipeline execution with ID '${executionId}' not found in pipeline '${pipeline.name}'`,
  );
}

/** `GetPipelineExecution`: the run and its source revisions (`artifactRevisions`). */
export function executionView(pipeline: PipelineRecord, execution: Execution) {
  return {
    pipelineExecution: {
      pipelineName: pipeline.name,
      pipelineVersion: pipeline.version,
      pipelineExecutionId: execution.id,
      status: execution.status,
      statusSummary: execution.statusSummary,
      artifactRevisions: execution.revisions.map((revision) => ({
        name: revision.artifact ?? "SourceArtifact",
        revisionId: revision.commit,
        revisionSummary: revision.summary,
        revisionUrl: revision.url,
        created: epochSeconds(execution.startTime),
      })),
      trigger: { triggerType: "StartPipelineExecution", triggerDetail: "greenlight-simulator" },
      executionMode: "SUPERSEDED",
      executionType: "STANDARD",
    },
  };
}

/** `ListPipelineExecutions`: newest first, paged by `maxResults` / `nextToken`. */
export function executionListView(pipeline: PipelineRecord, maxResults: number, nextToken?: string) {
  const start = nextToken === undefined ? 0 : Number(nextToken);
  if (!Number.isInteger(start) || start < 0) {
    throw new AwsError("InvalidNextTokenException", "The next token provided is not valid");
  }
  const sourceAction =
    pipeline.stages.flatMap((s) => s.actions).find((a) => a.category === "Source")?.name ?? "Source";
  const newestFirst = [...pipeline.executions].reverse();
  const page = newestFirst.slice(start, start + maxResults);
  return {
    pipelineExecutionSummaries: page.map((execution) => ({
      pipelineExecutionId: execution.id,
      status: execution.status,
      statusSummary: execution.statusSummary,
      startTime: epochSeconds(execution.startTime),
      lastUpdateTime: epochSeconds(execution.lastUpdateTime),
      sourceRevisions: execution.revisions.map((revision) => ({
        actionName: sourceAction,
        revisionId: revision.commit,
        revisionSummary: revision.summary,
        revisionUrl: revision.url,
      })),
      trigger: { triggerType: "StartPipelineExecution", triggerDetail: "greenlight-simulator" },
      executionMode: "SUPERSEDED",
    })),
    ...(start + maxResults < newestFirst.length ? { nextToken: String(start + maxResults) } : {}),
  };
}
