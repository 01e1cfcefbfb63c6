import { executionModeOf, type PipelineModel } from "./model.js";
import { AwsError, epochSeconds } from "./protocol.js";
import type { ActionRun, ActionSlot, Execution, PipelineRecord, StageSlot } from "./types.js";

/**
 * `GetPipelineState`: each stage's latest execution and each action's latest run. In PARALLEL mode
 * the approval token is not given here (API reference, PutApprovalResult "token": use the
 * `externalExecutionId` from ListActionExecutions instead).
 */
export function pipelineStateView(pipeline: PipelineRecord) {
  const parallel = executionModeOf(pipeline) === "PARALLEL";
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
        return {
          actionName: action.name,
          ...(run ? { latestExecution: actionRunView(run, { withToken: !parallel }) } : {}),
        };
      }),
      ...(stage.latest
        ? { latestExecution: { pipelineExecutionId: stage.latest.executionId, status: stage.latest.status } }
        : {}),
    })),
  };
}

function actionRunView(run: ActionRun, options: { withToken: boolean }) {
  return {
    actionExecutionId: run.id,
    status: run.status,
    summary: run.summary,
    lastStatusChange: epochSeconds(run.lastStatusChange),
    token: options.withToken ? run.token : undefined,
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
      executionMode: executionModeOf(pipeline),
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
      executionMode: executionModeOf(pipeline),
    })),
    ...(start + maxResults < newestFirst.length ? { nextToken: String(start + maxResults) } : {}),
  };
}

const PROVIDER: Record<ActionSlot["category"], { owner: string; provider: string }> = {
  Source: { owner: "AWS", provider: "CodeStarSourceConnection" },
  Build: { owner: "AWS", provider: "CodeBuild" },
  Test: { owner: "AWS", provider: "CodeBuild" },
  Deploy: { owner: "AWS", provider: "CodeDeploy" },
  Approval: { owner: "AWS", provider: "Manual" },
  Invoke: { owner: "AWS", provider: "Lambda" },
};

const ACCOUNT = "123456789012";

/**
 * `GetPipeline`: the pipeline's structure (API reference, GetPipeline: `pipeline` with its stages
 * and action declarations, `metadata` with the ARN and dates). A manual approval's
 * `configuration` holds `NotificationArn` when it notifies a topic (user guide, "Manual approval
 * action configuration"), and `timeoutInMinutes` is a field of the action declaration.
 */
export function pipelineView(model: PipelineModel, pipeline: PipelineRecord, region: string) {
  return {
    pipeline: {
      name: pipeline.name,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${pipeline.name}-role`,
      artifactStore: { type: "S3", location: `codepipeline-${region}-${ACCOUNT}` },
      stages: pipeline.stages.map((stage) => ({
        name: stage.name,
        actions: stage.actions.map((action) => {
          const topic = model.notificationArnOf(action);
          return {
            name: action.name,
            actionTypeId: { category: action.category, ...PROVIDER[action.category], version: "1" },
            runOrder: 1,
            configuration: topic ? { NotificationArn: topic } : {},
            ...(action.timeoutMinutes !== undefined ? { timeoutInMinutes: action.timeoutMinutes } : {}),
            inputArtifacts: [],
            outputArtifacts: [],
          };
        }),
      })),
      version: pipeline.version,
      executionMode: executionModeOf(pipeline),
      pipelineType: pipeline.pipelineType ?? "V2",
    },
    metadata: {
      pipelineArn: `arn:aws:codepipeline:${region}:${ACCOUNT}:${pipeline.name}`,
      created: epochSeconds(pipeline.created),
      updated: epochSeconds(pipeline.updated),
    },
  };
}

/** `ListPipelines`: a summary of each pipeline, in pages of `maxResults` (1 to 1,000; 100 by default). */
export function pipelineListView(pipelines: PipelineRecord[], maxResults: number, nextToken?: string) {
  const start = nextToken === undefined ? 0 : Number(nextToken);
  if (!Number.isInteger(start) || start < 0) {
    throw new AwsError("InvalidNextTokenException", "The next token provided is not valid");
  }
  const sorted = [...pipelines].sort((a, b) => a.name.localeCompare(b.name));
  return {
    pipelines: sorted.slice(start, start + maxResults).map((p) => ({
      name: p.name,
      version: p.version,
      pipelineType: p.pipelineType ?? "V2",
      executionMode: executionModeOf(p),
      created: epochSeconds(p.created),
      updated: epochSeconds(p.updated),
    })),
    ...(start + maxResults < sorted.length ? { nextToken: String(start + maxResults) } : {}),
  };
}

/**
 * `ListActionExecutions`: every run of every action, newest first, paged by `maxResults` /
 * `nextToken`, optionally for one pipeline execution. For a manual approval the
 * `output.executionResult.externalExecutionId` is the approval token (API reference,
 * PutApprovalResult: the token to use in PARALLEL mode) and `externalExecutionSummary` the
 * answer's summary.
 */
export function actionExecutionListView(
  pipeline: PipelineRecord,
  maxResults: number,
  options: { executionId?: string | undefined; nextToken?: string | undefined },
) {
  const start = options.nextToken === undefined ? 0 : Number(options.nextToken);
  if (!Number.isInteger(start) || start < 0) {
    throw new AwsError("InvalidNextTokenException", "The next token provided is not valid");
  }
  const all: { stage: StageSlot; action: ActionSlot; run: ActionRun; order: number }[] = [];
  let order = 0;
  for (const stage of pipeline.stages) {
    for (const action of stage.actions) {
      for (const run of action.runs) all.push({ stage, action, run, order: order++ });
    }
  }
  const startOf = (r: ActionRun) => (r.startTime ?? r.lastStatusChange).getTime();
  const newestFirst = all
    .filter((e) => options.executionId === undefined || e.run.executionId === options.executionId)
    .sort((a, b) => startOf(b.run) - startOf(a.run) || b.order - a.order);
  const page = newestFirst.slice(start, start + maxResults);
  return {
    actionExecutionDetails: page.map(({ stage, action, run }) => ({
      pipelineExecutionId: run.executionId,
      actionExecutionId: run.id,
      pipelineVersion: pipeline.version,
      stageName: stage.name,
      actionName: action.name,
      startTime: epochSeconds(run.startTime ?? run.lastStatusChange),
      lastUpdateTime: epochSeconds(run.lastStatusChange),
      ...(run.lastUpdatedBy ? { updatedBy: run.lastUpdatedBy } : {}),
      status: run.status,
      input: {
        actionTypeId: { category: action.category, ...PROVIDER[action.category], version: "1" },
        configuration: {},
        resolvedConfiguration: {},
        inputArtifacts: [],
      },
      output: {
        outputArtifacts: [],
        executionResult: {
          ...(run.token ? { externalExecutionId: run.token } : {}),
          ...(run.summary ? { externalExecutionSummary: run.summary } : {}),
          ...(run.errorDetails ? { errorDetails: run.errorDetails } : {}),
        },
        outputVariables: {},
      },
    })),
    ...(start + maxResults < newestFirst.length ? { nextToken: String(start + maxResults) } : {}),
  };
}
