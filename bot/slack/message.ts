import type { Button, KnownBlock } from "@slack/types";
import type { Approval } from "../../core/approval.js";
import { viewOf } from "../shared/describe.js";
import { ACTION } from "./ids.js";
import { escapeText, link, listOf, oneLine, slackTime } from "./mrkdwn.js";
import { deploymentLine, outcomeLine, progressLine } from "./status.js";

export interface SlackMessage {
  /** Notification and accessibility fallback; the blocks are what people see. */
  text: string;
  blocks: KnownBlock[];
}

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });
const mrkdwn = (text: string) => ({ type: "mrkdwn" as const, text });

/** "<@U1>, <@U2> or anyone in <!subteam^S1>": the Slack approvers of the approval's rule. */
export function approversText(approval: Approval): string {
  const approvers = approval.rule.slack?.approvers;
  const people = approvers?.users.map((u) => `<@${u}>`) ?? [];
  const group = approvers?.group ? [`anyone in <!subteam^${approvers.group}>`] : [];
  return listOf([...people, ...group], "or") || "nobody in Slack";
}

function details(approval: Approval): KnownBlock[] {
  const v = viewOf(approval, new Date(approval.createdAt));
  const fields = [
    `*Pipeline*\n${escapeText(oneLine(`${v.pipeline} · ${v.stage}`, 200))}`,
    v.commit &&
      `*Commit*\n${link(v.commit.url, v.commit.short)} ${escapeText(oneLine(v.commit.message ?? "", 150))}`,
    v.pullRequest &&
      `*Pull request*\n${link(v.pullRequest.url, `#${v.pullRequest.number}`)}${v.pullRequest.author ? ` by ${escapeText(oneLine(v.pullRequest.author, 60))}` : ""}`,
    v.stagingUrl && `*Staging*\n${link(v.stagingUrl, oneLine(v.stagingUrl.replace(/^https?:\/\//, ""), 80))}`,
    `*Expires*\n${slackTime(approval.request.expiresAt, "full")}`,
    `*Who can approve*\n${approversText(approval)}`,
  ].filter((f): f is string => typeof f === "string" && f.length > 0);
  const blocks: KnownBlock[] = [{ type: "section", fields: fields.map(mrkdwn) }];
  if (v.customData)
    blocks.push({ type: "section", text: mrkdwn(`>${escapeText(oneLine(v.customData, 500))}`) });
  return blocks;
}

function buttons(approval: Approval): KnownBlock {
  const pipeline = escapeText(oneLine(approval.request.pipeline, 100));
  // A typed confirmation needs a text field, so high-risk approvals always go through the modal.
  const approve: Button = approval.rule.highRisk
    ? {
        type: "button",
        action_id: ACTION.approveWithComment,
        text: plain("Approve…"),
        style: "primary",
        value: approval.id,
      }
    : {
        type: "button",
        action_id: ACTION.approve,
        text: plain("Approve"),
        style: "primary",
        value: approval.id,
        confirm: {
          title: plain("Approve the production deploy?"),
          text: mrkdwn(
            approval.rule.quorum > 1
              ? `Your approval counts towards the ${approval.rule.quorum} that *${pipeline}* needs to go to production.`
              : `*${pipeline}* goes to production as soon as CodePipeline receives the approval.`,
          ),
          confirm: plain("Approve"),
          deny: plain("Cancel"),
          style: "primary",
        },
      };
  const comment: Button[] = approval.rule.highRisk
    ? []
    : [
        {
          type: "button",
          action_id: ACTION.approveWithComment,
          text: plain("Approve with comment…"),
          value: approval.id,
        },
      ];
  const reject: Button = {
    type: "button",
    action_id: ACTION.reject,
    text: plain("Reject"),
    style: "danger",
    value: approval.id,
    confirm: {
      title: plain("Reject this deploy?"),
      text: mrkdwn(`The release of *${pipeline}* stops here. Next, you'll say why.`),
      confirm: plain("Continue"),
      deny: plain("Cancel"),
      style: "danger",
    },
  };
  return { type: "actions", elements: [approve, ...comment, reject] };
}

/**
 * The approval as a Slack message: a pure function of the record (times are `<!date>` tokens, not
 * "in 3 hours"), so the same record always renders the same blocks and an unchanged message is
 * never re-sent.
 */
export function approvalMessage(approval: Approval): SlackMessage {
  const title = oneLine(`Production approval: ${approval.request.pipeline}`, 150);
  const blocks: KnownBlock[] = [{ type: "header", text: plain(title) }, ...details(approval)];
  const progress = progressLine(approval);
  if (progress) blocks.push({ type: "context", elements: [mrkdwn(progress)] });
  const outcome = outcomeLine(approval);
  blocks.push(outcome ? { type: "section", text: mrkdwn(outcome) } : buttons(approval));
  if (approval.deployment) {
    blocks.push({ type: "context", elements: [mrkdwn(deploymentLine(approval.deployment))] });
  }
  const state = approval.state === "pending" ? "waiting for approval" : approval.state.replace("-", " ");
  return { text: `${title} (${state})`, blocks };
}
