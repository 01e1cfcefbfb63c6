import type { Clock } from "../../core/ports.js";
import type { DynamoApprovalStore } from "../../lambdas/aws/dynamodb-store.js";
import type { ChangeFeedStore } from "../change-feed.js";
import type { CodePipelineSimulator } from "../codepipeline/simulator.js";
import type { PipelineRunner } from "../pipeline/runner.js";
import type { LocalSes } from "../ses/server.js";
import { approvalsPanel } from "./approvals-panel.js";
import { callsPanel } from "./calls-panel.js";
import { inboxPanel } from "./inbox-panel.js";
import type { DashboardPanel } from "./panel.js";
import { pipelinesPanel } from "./pipelines-panel.js";

export interface CorePanelDeps {
  simulator: CodePipelineSimulator;
  runner?: PipelineRunner;
  ses: LocalSes;
  store: ChangeFeedStore<DynamoApprovalStore>;
  clock: Clock;
}

/** The panels every local stack has; channel stand-ins add theirs after these. */
export function corePanels(deps: CorePanelDeps): DashboardPanel[] {
  return [
    pipelinesPanel({ simulator: deps.simulator, ...(deps.runner ? { runner: deps.runner } : {}) }),
    approvalsPanel({
      listAll: () => deps.store.inner.listAll(),
      failures: deps.store.failures,
      clock: deps.clock,
    }),
    inboxPanel({ ses: deps.ses }),
    callsPanel({ simulator: deps.simulator }),
  ];
}
