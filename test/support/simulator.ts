import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { CodePipelineAdapter } from "../../lambdas/aws/codepipeline.js";
import { CodePipelineSimulator } from "../../local/codepipeline/simulator.js";
import { TEST_CREDENTIALS } from "./dynamo.js";

/**
 * PARALLEL mode (a V2 pipeline): tests open several approvals at once, each run waiting on its own,
 * and answer them in any order. In SUPERSEDED mode a second run would wait in front of the locked
 * approval stage instead (see codepipeline-modes.test.ts).
 */
export const SHOP_PIPELINE = {
  name: "shop-web",
  executionMode: "PARALLEL" as const,
  stages: [
    { name: "Source", actions: [{ name: "Source", category: "Source" as const }] },
    { name: "Approve", actions: ["StakeholderApproval"] },
    { name: "Production", actions: [{ name: "Deploy", category: "Deploy" as const }] },
  ],
};

/** The simulator with the shop-web pipeline, and the real adapter on the real SDK pointed at it. */
export async function startSimulator(options: { now?: () => Date; maxAttempts?: number } = {}) {
  const sim = await CodePipelineSimulator.start(options.now ? { now: options.now } : {});
  sim.definePipeline(SHOP_PIPELINE);
  const client = new CodePipelineClient({
    endpoint: sim.url,
    region: "us-east-2",
    credentials: TEST_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
  });
  return { sim, pipeline: new CodePipelineAdapter(client) };
}

/** How many PutApprovalResult calls reached the simulator, and with which outcome. */
export function putCalls(sim: CodePipelineSimulator) {
  return sim.calls.filter((c) => c.operation === "PutApprovalResult");
}
