// The Slack side of `greenlight doctor`: the secret, the bot token, the app's place in each policy
// channel, and every user group and user the policy names. One finding per thing looked at.
import { WebClient } from "@slack/web-api";
import type { Rule } from "../../core/policy.js";
import { type Check, type DoctorContext, type Finding, ok, problem, skipped, warning } from "./check.js";

const APP_PAGE = "api.slack.com/apps → your Greenlight app";

/** What a Web API error carries (`@slack/web-api` throws `platform_error` with Slack's body in `data`). */
function slackError(e: unknown): { error: string; needed?: string } {
  if (e instanceof Error && "data" in e && typeof e.data === "object" && e.data !== null) {
    const data = e.data as { error?: unknown; needed?: unknown };
    if (typeof data.error === "string")
      return { error: data.error, ...(typeof data.needed === "string" ? { needed: data.needed } : {}) };
  }
  return { error: e instanceof Error ? e.message : String(e) };
}

const scopeFix = (needed: string | undefined) =>
  `${APP_PAGE} → OAuth & Permissions → Bot Token Scopes: add ${needed ?? "the scope Slack names"}, then reinstall the app`;

/** A call that failed: missing_scope names the scope to add; anything else is reported as Slack said it. */
function failed(id: string, what: string, e: unknown, notFound: string, notFoundFix: string): Finding {
  const { error, needed } = slackError(e);
  if (error === "missing_scope")
    return problem(id, `${what}: the bot token lacks ${needed ?? "a scope"}`, scopeFix(needed));
  if (notFound.split("|").includes(error)) return problem(id, `${what}: ${error}`, notFoundFix);
  return problem(id, `${what}: Slack answered ${error}`, "run again; if it persists, check status.slack.com");
}

async function channelFinding(web: WebClient, channel: string): Promise<Finding> {
  const id = `slack.channel:${channel}`;
  const invite = `in Slack, open ${channel} and type /invite @Greenlight`;
  try {
    const res = await web.conversations.info({ channel });
    const name = res.channel?.name ? `#${res.channel.name}` : channel;
    if (res.channel?.is_archived)
      return problem(
        id,
        `${name} is archived: messages cannot be posted`,
        `unarchive ${name}, or name another channel in greenlight.yml`,
      );
    if (res.channel?.is_member !== true)
      return problem(id, `the app is not in ${name}`, `in Slack, open ${name} and type /invite @Greenlight`);
    return ok(id, `the app is in ${name}`);
  } catch (e: unknown) {
    const { error, needed } = slackError(e);
    // The app itself never reads channels (it posts), so its manifest does not ask for
    // channels:read / groups:read: without them membership cannot be seen from here.
    if (error === "missing_scope")
      return warning(
        id,
        `cannot see whether the app is in ${channel}: the token lacks ${needed ?? "channels:read"}`,
        `${scopeFix(needed)} (only for this check), or make sure yourself: ${invite}`,
      );
    // A private channel the bot is not in is invisible to it: Slack says channel_not_found.
    return failed(
      id,
      `channel ${channel}`,
      e,
      "channel_not_found|not_in_channel",
      `${invite} (a private channel the app is not in looks unknown to it); check the id in greenlight.yml`,
    );
  }
}

function slackRules(rules: readonly Rule[]) {
  return rules.flatMap((r) => (r.slack ? [r.slack] : []));
}

async function run(ctx: DoctorContext): Promise<Finding[]> {
  const rules = slackRules(ctx.policy.rules);
  if (rules.length === 0) return [skipped("slack", "no rule in the policy uses Slack")];
  const secret = await ctx.target.secret("slack");
  const missing = ["botToken", "signingSecret"].filter(
    (k) => typeof secret?.[k] !== "string" || secret[k] === "",
  );
  if (!secret || missing.length > 0) {
    return [
      problem(
        "slack.secret",
        secret ? `the Slack secret has no ${missing.join(", ")}` : "no Slack secret is set for the stack",
        `put {"signingSecret","botToken","appId","teamId"} in the stack's Slack secret (Secrets Manager console): the Signing Secret from ${APP_PAGE} → Basic Information, the xoxb- token from OAuth & Permissions`,
      ),
    ];
  }
  const findings: Finding[] = [ok("slack.secret", "the Slack secret has a bot token and a signing secret")];
  const web = new WebClient(String(secret.botToken), {
    ...(ctx.target.slackApiUrl ? { slackApiUrl: ctx.target.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
  });
  try {
    const auth = await web.auth.test();
    findings.push(ok("slack.token", `the bot token works (team ${auth.team_id ?? "?"})`));
  } catch (e: unknown) {
    const { error } = slackError(e);
    findings.push(
      problem(
        "slack.token",
        `the bot token does not work: ${error}`,
        `${APP_PAGE} → OAuth & Permissions: copy the Bot User OAuth Token (xoxb-…) into the stack's Slack secret; reinstall the app if it was revoked`,
      ),
    );
    return findings; // every later call would fail the same way
  }
  for (const channel of new Set(rules.map((r) => r.channel)))
    findings.push(await channelFinding(web, channel));
  for (const group of new Set(rules.flatMap((r) => (r.approvers.group ? [r.approvers.group] : [])))) {
    const id = `slack.group:${group}`;
    try {
      const res = await web.usergroups.users.list({ usergroup: group });
      findings.push(ok(id, `user group ${group} resolves (${res.users?.length ?? 0} member(s))`));
    } catch (e: unknown) {
      findings.push(
        failed(
          id,
          `user group ${group}`,
          e,
          "no_such_subteam",
          `check the group id in greenlight.yml (Slack: People → User groups → the group's id), or create the group`,
        ),
      );
    }
  }
  const users = new Set([
    ...rules.flatMap((r) => r.approvers.users),
    ...ctx.policy.rules.flatMap((r) => r.people.flatMap((p) => (p.slack ? [p.slack] : []))),
  ]);
  for (const user of users) {
    const id = `slack.user:${user}`;
    try {
      const res = await web.users.info({ user });
      findings.push(ok(id, `user ${user} exists (${res.user?.name ?? "?"})`));
    } catch (e: unknown) {
      findings.push(
        failed(
          id,
          `user ${user}`,
          e,
          "user_not_found",
          `check the user id in greenlight.yml (Slack: the person's profile → ⋮ → Copy member ID)`,
        ),
      );
    }
  }
  return findings;
}

export const slackCheck: Check = { id: "slack", title: "Slack app, channels, groups and users", run };
