import type { Approval, Deployment } from "./approval.js";
import { type DecideDeps, deliver } from "./decide.js";
import { DomainError } from "./errors.js";
import { mutate } from "./mutate.js";
import type { PipelineEvent } from "./pipeline-events.js";
import type { ApprovalIndex, ApprovalStore, DeployLog } from "./ports.js";
import { markReminded, reminderDue } from "./reminders.js";
import { closeElsewhere, isPastExpiry, markExpired } from "./state-machine.js";

export interface LifecycleDeps extends DecideDeps {
  store: ApprovalStore & ApprovalIndex;
  /** Where the commit production received is recorded: the base of the next release. */
  deploys?: DeployLog;
}

export interface LifecycleLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** A `deciding` record younger than this may still be in the hands of the request that decided it. */
const DELIVERY_GRACE_MS = 60_000;

const DEPLOY_RANK: Record<Deployment["state"], number> = { deploying: 0, succeeded: 1, failed: 1 };

/** Record the production outcome; events arrive out of order, so a final outcome is never overwritten. */
function withDeployment(approval: Approval, deployment: Deployment): Approval | undefined {
  if (approval.state !== "approved") return undefined;
  const current = approval.deployment;
  if (current && DEPLOY_RANK[current.state] >= DEPLOY_RANK[deployment.state]) return undefined;
  return {
    ...approval,
    deployment,
    updatedAt: deployment.at,
    history: [
      ...approval.history,
      { at: deployment.at, event: `deploy-${deployment.state}`, detail: deployment.stage ?? "" },
    ],
  };
}

const runLink = (region: string, pipeline: string, executionId: string) =>
  `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/executions/${executionId}/timeline?region=${region}`;

/**
 * A pending approval whose CodePipeline action ended without us: answered in the console, timed
 * out, or abandoned by CodePipeline (its own run's ABANDONED/CANCELED/SUPERSEDED event). A `deciding` one is finished by delivering (which also
 * recognises our own earlier answer).
 */
async function actionEnded(deps: LifecycleDeps, approval: Approval, reason: "console" | "superseded") {
  if (approval.state === "deciding") {
    // Most often the request that decided is finishing its own delivery right now: leave it to
    // that request, and to the sweep if it never finishes.
    if (deps.clock.now().getTime() - Date.parse(approval.updatedAt) < DELIVERY_GRACE_MS) return;
    return deliverQuietly(deps, approval);
  }
  await mutate(deps.store, approval.id, (a) => {
    if (a.state !== "pending") return undefined;
    const now = deps.clock.now();
    return reason === "console" && isPastExpiry(a, now)
      ? markExpired(a, now)
      : closeElsewhere(a, reason, now);
  });
}

async function deliverQuietly(deps: LifecycleDeps, approval: Approval): Promise<void> {
  try {
    await deliver(deps, approval);
  } catch (e: unknown) {
    // Closed elsewhere / expired are outcomes, already recorded by deliver.
    if (!(e instanceof DomainError)) throw e;
  }
}

/**
 * How an approval action's own state change ends a pending approval: ABANDONED (the run was
 * stopped and abandoned, or replaced) and CANCELED (the pipeline was updated) mean CodePipeline
 * gave up on it; SUCCEEDED and FAILED mean it was answered elsewhere or timed out. STARTED, and any
 * state CodePipeline adds later, change nothing.
 */
function actionEndReason(state: string): "console" | "superseded" | undefined {
  if (state === "ABANDONED" || state === "CANCELED") return "superseded";
  if (state === "SUCCEEDED" || state === "FAILED") return "console";
  return undefined;
}

/** React to one CodePipeline state change. */
export async function onPipelineEvent(deps: LifecycleDeps, event: PipelineEvent): Promise<number> {
  if (event.kind === "schedule") return sweep(deps);
  const at = deps.clock.now().toISOString();
  const approvals = await deps.store.findByExecution(event.pipeline, event.executionId);

  if (event.kind === "action") {
    if (event.category !== "Approval") return 0;
    // Only the approval's own run says it ended. Another run's action starting proves nothing: in
    // PARALLEL mode runs wait side by side, each with a live token, and in SUPERSEDED or QUEUED mode
    // a newer run waits in front of the locked stage until ours is answered or times out (user
    // guide, "How pipeline executions work"). An approval whose run is unknown (its look-up failed
    // at intake) is never found here, so never closed by a run, its own included.
    const mine = approvals.filter(
      (a) => a.request.stage === event.stage && a.request.action === event.action,
    );
    const reason = actionEndReason(event.state);
    if (!reason) return 0;
    for (const a of mine) await actionEnded(deps, a, reason);
    return mine.length;
  }

  const url = runLink(event.region, event.pipeline, event.executionId);
  let deployment: Deployment | undefined;
  if (
    event.kind === "stage" &&
    (event.state === "STARTED" || event.state === "FAILED" || event.state === "STOPPED")
  ) {
    deployment = { state: event.state === "STARTED" ? "deploying" : "failed", at, stage: event.stage, url };
  } else if (event.kind === "pipeline" && event.state === "SUCCEEDED") {
    deployment = { state: "succeeded", at, url };
  } else if (
    event.kind === "pipeline" &&
    (event.state === "FAILED" || event.state === "STOPPED" || event.state === "CANCELED")
  ) {
    deployment = { state: "failed", at, url };
  } else if (event.kind === "pipeline" && event.state === "SUPERSEDED") {
    for (const a of approvals) await actionEnded(deps, a, "superseded");
    return approvals.length;
  }
  if (!deployment) return 0;
  let changed = 0;
  for (const a of approvals) {
    // Stage events of the approval's own stage (or earlier) are not the production deploy.
    if (event.kind === "stage" && event.stage === a.request.stage) continue;
    const d = deployment;
    const result = await mutate(deps.store, a.id, (current) => withDeployment(current, d));
    if (result.changed) changed++;
    // Production now runs this approval's commit: the next release starts from it.
    const sha = result.approval.context.commit?.sha;
    if (d.state === "succeeded" && result.approval.state === "approved" && sha)
      await deps.deploys?.recordDeployed(result.approval.request, sha, d.at);
  }
  return changed;
}

/**
 * The scheduled sweep: expire what is past its expiry, raise reminders at the policy's interval,
 * and finish deliveries a crash or throttling interrupted (deciding for longer than the grace period).
 */
export async function sweep(deps: LifecycleDeps): Promise<number> {
  const now = deps.clock.now();
  let touched = 0;
  for (const approval of await deps.store.listOpen()) {
    if (approval.state === "pending" && isPastExpiry(approval, now)) {
      await mutate(deps.store, approval.id, (a) => (a.state === "pending" ? markExpired(a, now) : undefined));
      touched++;
    } else if (reminderDue(approval, now)) {
      await mutate(deps.store, approval.id, (a) => (reminderDue(a, now) ? markReminded(a, now) : undefined));
      touched++;
    } else if (
      approval.state === "deciding" &&
      now.getTime() - Date.parse(approval.updatedAt) >= DELIVERY_GRACE_MS
    ) {
      await deliverQuietly(deps, approval);
      touched++;
    }
  }
  return touched;
}
