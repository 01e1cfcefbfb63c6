import type { WebClient } from "@slack/web-api";
import type { Actor } from "../../core/approval.js";
import { namedActor } from "../../core/authorize.js";
import type { Rule } from "../../core/policy.js";
import type { Clock } from "../../core/ports.js";
import type { SlackUser } from "./payloads.js";

/**
 * Members of Slack user groups, from `usergroups.users.list`, cached per group. The TTL bounds how
 * long someone removed from the group can still approve; it also keeps us far below the method's
 * rate limit (Tier 2, about 20 calls a minute) when a group votes at once.
 */
export class GroupMembers {
  private readonly cache = new Map<string, { at: number; members: Promise<ReadonlySet<string>> }>();

  constructor(private readonly options: { clock: Clock; ttlMs?: number }) {}

  members(client: WebClient, group: string): Promise<ReadonlySet<string>> {
    const now = this.options.clock.now().getTime();
    const hit = this.cache.get(group);
    if (hit && now - hit.at < (this.options.ttlMs ?? 60_000)) return hit.members;
    const members = client.usergroups.users
      .list({ usergroup: group })
      .then((res): ReadonlySet<string> => new Set(Array.isArray(res.users) ? res.users : []));
    this.cache.set(group, { at: now, members });
    // A failed look-up is not cached: the next click asks again.
    members.catch(() => {
      if (this.cache.get(group)?.members === members) this.cache.delete(group);
    });
    return members;
  }
}

/**
 * The Slack user as core sees them: their policy name when `people` knows them, their Slack name
 * otherwise, the policy's group when they are in it, and their Slack profile e-mail when Slack
 * tells us (so core can recognise them as a commit author under another identity). Both look-ups
 * run together: they share the click's 3 s.
 */
export async function actorFor(
  rule: Rule,
  user: SlackUser,
  groupMembers: (group: string) => Promise<ReadonlySet<string>>,
  emailOf: (user: string) => Promise<string | undefined> = async () => undefined,
): Promise<Actor> {
  const base = namedActor(rule, { channel: "slack", id: user.id });
  const name = base.name ?? user.name ?? user.username;
  const approvers = rule.slack?.approvers;
  // Only ask Slack when the group is what could make this person an approver.
  const group = approvers?.group && !approvers.users.includes(user.id) ? approvers.group : undefined;
  const [inGroup, email] = await Promise.all([
    group ? groupMembers(group).then((m) => m.has(user.id)) : false,
    emailOf(user.id),
  ]);
  return {
    ...base,
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    ...(group && inGroup ? { groups: [group] } : {}),
  };
}
