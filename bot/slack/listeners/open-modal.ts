import type { WebClient } from "@slack/web-api";
import type { Verdict } from "../../../core/approval.js";
import { decisionModal } from "../modals.js";
import { readClick } from "../payloads.js";
import { permanentError, reportPermanent } from "../problems.js";
import { precheck, type VoteDeps } from "../vote.js";
import { tell, UNREADABLE } from "./tell.js";

/**
 * A click that needs words first (a reason to reject, an optional comment, a typed confirmation):
 * check the person could decide at all, then open the modal. Slack's trigger id is valid for 3 s,
 * so this runs right after the ack and before anything slow.
 */
export async function openDecisionModal(
  deps: VoteDeps,
  client: WebClient,
  body: unknown,
  verdict: Verdict,
): Promise<void> {
  const click = readClick(body);
  if (!click) return;
  const to = { channel: click.channel, user: click.user.id };
  if (!click.approvalId) return tell(client, deps.log, to, UNREADABLE);

  const check = await precheck(deps, client, { approvalId: click.approvalId, user: click.user, verdict });
  if (!check.ok) return tell(client, deps.log, to, check.refusal.text);
  try {
    await client.views.open({
      trigger_id: click.triggerId,
      view: decisionModal(verdict, check.approval, {
        approvalId: click.approvalId,
        ...(click.channel ? { channel: click.channel } : {}),
      }),
    });
  } catch (e: unknown) {
    deps.log.warn(
      { channel: "slack", approvalId: click.approvalId, error: e instanceof Error ? e.message : String(e) },
      "slack: could not open the decision modal",
    );
    const problem = permanentError(e, click.channel);
    if (problem) {
      const fields = { method: "views.open", approvalId: click.approvalId, slackChannel: click.channel };
      reportPermanent(deps.log, problem, fields, deps.clock.now());
    }
    await tell(client, deps.log, to, "Slack did not open the form in time. Please click again.");
  }
}
