import type { Button, KnownBlock } from "@slack/types";
import type { Approval } from "../../core/approval.js";
import { viewOf } from "../shared/describe.js";
import { ACTION } from "./ids.js";
import { cutMrkdwn, escapeCut, LIMIT, link, listOf, oneLine, slackTime } from "./mrkdwn.js";
import { deploymentLine, outcomeLine, progressLine } from "./status.js";

export interface SlackMessage {
  /** Notification and accessibility fallback; the blocks are what people see. */
  text: string;
  blocks: KnownBlock[];
}

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });
/**
 * A mrkdwn text object; `limit` is the Block Kit limit of where it goes (the last line of defence).
 * `verbatim`: Slack then links no bare URL or channel name found in the text (commit messages and
 * PR titles are the author's), while our own `<url|label>`, `<@U…>` and `<!date…>` still work
 * (Block Kit reference, "Text object": verbatim keeps "manual parsing strings").
 */
const mrkdwn = (text: string, limit: number = LIMIT.text) => ({
  type: "mrkdwn" as const,
  text: cutMrkdwn(text, limit),
  verbatim: true,
});

/**
 * "<@U1>, <@U2> or anyone in <!subteam^S1>": the Slack approvers of the approval's rule. A long
 * list ends "… <@U9> or 380 more" within `limit` (the field it is shown in), group kept.
 */
export function approversText(approval: Approval, limit: number = LIMIT.field): string {
  const approvers = approval.rule.slack?.approvers;
  const people = approvers?.users.map((u) => `<@${u}>`) ?? [];
  const group = approvers?.group ? `anyone in <!subteam^${approvers.group}>` : undefined;
  const all = listOf([...people, ...(group ? [group] : [])], "or");
  if (all.length <= limit) return all || "nobody in Slack";
  const names = listOf(people, group ? "and" : "or", limit - (group ? group.length + 4 : 0));
  return group ? `${names} or ${group}` : names;
}

function details(approval: Approval): KnownBlock[] {
  const v = viewOf(approval, new Date(approval.createdAt));
  // Each field is at most 2000 characters once escaped and linked: the budgets below add up to less.
  const fields = [
    `*Pipeline*\n${escapeCut(oneLine(`${v.pipeline} · ${v.stage}`, 200), 1000)}`,
    v.commit &&
      `*Commit*\n${link(v.commit.url, v.commit.short, 1000)} ${escapeCut(oneLine(v.commit.message ?? "", 150), 800)}`,
    v.pullRequest &&
      `*Pull request*\n${link(v.pullRequest.url, `#${v.pullRequest.number}`, 1000)}${v.pullRequest.author ? ` by ${escapeCut(oneLine(v.pullRequest.author, 60), 300)}` : ""}`,
    v.stagingUrl &&
      `*Staging*\n${link(v.stagingUrl, oneLine(v.stagingUrl.replace(/^https?:\/\//, ""), 80), LIMIT.field - 20)}`,
    `*Expires*\n${slackTime(approval.request.expiresAt, "full")}`,
    `*Who can approve*\n${approversText(approval, LIMIT.field - 20)}`,
  ].filter((f): f is string => typeof f === "string" && f.length > 0);
  const blocks: KnownBlock[] = [
    { type: "section", fields: fields.slice(0, LIMIT.fields).map((f) => mrkdwn(f, LIMIT.field)) },
  ];
  // The release: every pull request since production's commit, one line each, within a section's
  // 3000 characters (each line is budgeted, the list summarised "and N more").
  if (v.release) {
    const lines = v.release.pulls.map(
      (p) =>
        `${link(p.url, `#${p.number}`, 200)} ${escapeCut(oneLine(p.title, 80), 180)}${p.author ? ` (${escapeCut(oneLine(p.author, 40), 60)})` : ""}`,
    );
    const more = v.release.more > 0 ? [`and ${v.release.more} more`] : [];
    const head = `*This release*: ${escapeCut(v.release.summary, 200)}${v.release.note ? `\n_${escapeCut(v.release.note, 200)}_` : ""}`;
    blocks.push({
      type: "section",
      text: mrkdwn(cutMrkdwn([head, ...lines, ...more].join("\n"), LIMIT.text)),
    });
  }
  // CodePipeline allows 1000 characters of custom data: all of it fits a section once escaped.
  if (v.customData)
    blocks.push({
      type: "section",
      text: mrkdwn(`>${escapeCut(oneLine(v.customData, 1000), LIMIT.text - 1)}`),
    });
  return blocks;
}

function buttons(approval: Approval): KnownBlock {
  // Within the confirm dialog's 300 characters, whatever the name.
  const pipeline = escapeCut(oneLine(approval.request.pipeline, 100), 150);
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
            LIMIT.confirmText,
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
      text: mrkdwn(`The release of *${pipeline}* stops here. Next, you'll say why.`, LIMIT.confirmText),
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
  const title = oneLine(`Production approval: ${approval.request.pipeline}`, LIMIT.header);
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
