import type { Approval } from "../../core/approval.js";
import { type Stack, type StackOptions, startStack } from "../../local/stack.js";
import { STACK_POLICY } from "./stack.js";
import { waitFor } from "./wait.js";

/** The local stack running the sample shop-web pipeline fast (stages in a few milliseconds). */
export function runnerStack(options: Partial<StackOptions> = {}): Promise<Stack> {
  return startStack({
    policy: STACK_POLICY,
    pipelines: { timeScale: 0.005, eventDelayMs: 20, sweepEveryMs: 60_000 },
    ...options,
  });
}

export function runnerOf(stack: Stack) {
  if (!stack.pipelines) throw new Error("this stack runs no pipelines");
  return stack.pipelines;
}

export const runOf = (stack: Stack, executionId: string) =>
  stack.simulator.runs("shop-web").find((r) => r.executionId === executionId);

export const stageOf = (stack: Stack, executionId: string, stage: string) =>
  runOf(stack, executionId)?.stages.find((s) => s.name === stage);

/** The approval a run opened, once intake opened it and its e-mails went out. */
export async function approvalFor(stack: Stack, executionId: string): Promise<Approval> {
  const approval = await waitFor(
    `an approval for ${executionId}`,
    async () => (await stack.store.findByExecution("shop-web", executionId))[0],
  );
  await stack.settled();
  return approval;
}

/** Every event delivered, and every change projected: nothing left in flight. */
export async function quiet(stack: Stack): Promise<void> {
  await runnerOf(stack).bus.idle();
  await stack.settled();
}
