import { parsePolicyObject } from "../../core/policy.js";
import { snsEvent } from "../../local/codepipeline/notification.js";
import { type Stack, type StackOptions, startStack } from "../../local/stack.js";
import { SHOP_PIPELINE } from "./simulator.js";

export const ANA = "ana@acme.io";
export const BO = "bo@acme.io";

/**
 * An e-mail-only rule for the suites about delivery, links and outages. It allows self-approval:
 * with no GitHub App on these stacks, the authors of the change cannot be read, and a rule that
 * forbids self-approval would then (rightly) refuse every approval. The self-approval rule has its
 * own suites on stacks with GitHub (release-flow, self-approval).
 */
export const STACK_POLICY = parsePolicyObject({
  version: 1,
  people: [
    { name: "Ana Lima", email: ANA, github: false },
    { name: "Bo Chen", email: BO, github: false },
  ],
  rules: [
    {
      name: "shop production",
      match: { pipeline: "shop-*" },
      selfApproval: true,
      email: { recipients: [ANA, BO] },
    },
  ],
});

/** The local stack with the shop-web pipeline defined in the simulator. */
export async function testStack(options: Partial<StackOptions> = {}): Promise<Stack> {
  const stack = await startStack({ policy: STACK_POLICY, ...options });
  stack.simulator.definePipeline(SHOP_PIPELINE);
  return stack;
}

/** A run waits at the approval; CodePipeline's notification reaches intake; channels settle. */
export async function requestApproval(
  stack: Stack,
  options: { expiresAt?: Date; commitMessage?: string; customData?: string } = {},
) {
  const expiresAt = options.expiresAt ?? new Date(stack.clock.now().getTime() + 7 * 86_400_000);
  const target = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" };
  const { token, executionId } = stack.simulator.startApproval({
    ...target,
    expiresAt,
    revision: {
      commit: "4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
      summary: JSON.stringify({
        ProviderType: "GitHub",
        CommitMessage: options.commitMessage ?? "Add express checkout (#42)",
      }),
      url: "https://github.com/acme/shop-web/commit/4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
    },
  });
  const summary = await stack.intake(
    snsEvent({
      region: "us-east-2",
      ...target,
      token,
      expiresAt,
      externalEntityLink: "https://staging.shop.example.com",
      customData: options.customData ?? "Check the new checkout on staging.",
    }),
  );
  await stack.settled();
  const approvalId = summary.opened[0] ?? summary.existing[0];
  if (!approvalId) throw new Error(`intake opened nothing: ${JSON.stringify(summary)}`);
  return { approvalId, token, executionId };
}

/** Each recipient's link, from the e-mails in the SES inbox. */
export async function linksByRecipient(stack: Stack): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const email of await stack.ses.emails()) {
    const link = /Review and decide: (\S+)/.exec(email.body.text ?? "")?.[1];
    const to = email.destination.to[0];
    if (link && to) links.set(to, link);
  }
  return links;
}
