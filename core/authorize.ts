import type { Actor, Approval, Verdict } from "./approval.js";
import { NotAllowed } from "./errors.js";
import { PERMISSION_ORDER, principalOf, type Rule } from "./policy.js";

/** The principal a vote counts for: one person in the policy's `people`, or the channel identity. */
export function principalFor(rule: Pick<Rule, "people">, actor: Actor): string {
  return principalOf(rule, `${actor.channel}:${actor.id}`);
}

function isApprover(rule: Rule, actor: Actor): boolean {
  const id = actor.id.toLowerCase();
  switch (actor.channel) {
    case "email":
      return rule.email?.recipients.includes(id) ?? false;
    case "slack": {
      const approvers = rule.slack?.approvers;
      if (!approvers) return false;
      return (
        approvers.users.includes(actor.id) || (!!approvers.group && !!actor.groups?.includes(approvers.group))
      );
    }
    case "github": {
      const approvers = rule.github?.approvers;
      if (!approvers) return false;
      const team = approvers.team?.toLowerCase();
      const min = approvers.minPermission;
      return (
        approvers.logins.includes(id) ||
        (!!team && !!actor.teams?.some((t) => t.toLowerCase() === team)) ||
        (!!min &&
          !!actor.permission &&
          PERMISSION_ORDER.indexOf(actor.permission) >= PERMISSION_ORDER.indexOf(min))
      );
    }
  }
}

/** Every identity we know for the actor, across channels, through the policy's `people`. */
function identities(rule: Rule, actor: Actor): { logins: Set<string>; emails: Set<string> } {
  const logins = new Set<string>();
  const emails = new Set<string>();
  if (actor.channel === "github") logins.add(actor.id.toLowerCase());
  if (actor.channel === "email") emails.add(actor.id.toLowerCase());
  if (actor.email) emails.add(actor.email.toLowerCase());
  const principal = principalFor(rule, actor);
  const person = rule.people.find((p) => `person:${p.name}` === principal);
  if (person?.github) logins.add(person.github);
  if (person?.email) emails.add(person.email);
  return { logins, emails };
}

function isAuthor(approval: Approval, actor: Actor): boolean {
  const { logins, emails } = identities(approval.rule, actor);
  const { authors, pullRequest } = approval.context;
  const authorLogins = [...authors.logins, ...(pullRequest?.author ? [pullRequest.author] : [])];
  return (
    authorLogins.some((l) => logins.has(l.toLowerCase())) ||
    authors.emails.some((e) => emails.has(e.toLowerCase()))
  );
}

/** GitHub can tell who wrote the change (a repository and a commit are known) but has not yet. */
function awaitingAuthors(approval: Approval): boolean {
  const { rule, context } = approval;
  const repo = rule.github?.repo ?? (rule.github ? context.repository : undefined);
  return Boolean(repo && context.commit && !context.authorsResolvedAt);
}

/** What a person must type before a high-risk decision counts, or undefined. */
export function confirmationPhrase(approval: Approval): string | undefined {
  const risk = approval.rule.highRisk;
  if (!risk) return undefined;
  return (approval.context.commit?.sha ?? approval.request.pipeline).slice(0, risk.length).toLowerCase();
}

/**
 * Throws `NotAllowed` unless the actor may cast this vote under the approval's rule. Authentication
 * (link token, Slack or GitHub signature) is the channel's job; this is authorization.
 */
export function authorize(approval: Approval, actor: Actor, verdict: Verdict, confirmation?: string): void {
  if (!isApprover(approval.rule, actor)) {
    throw new NotAllowed(
      "not-an-approver",
      `${actor.channel}:${actor.id} is not an approver for this deploy`,
    );
  }
  // Without the authors from GitHub the self-approval check below would be blind: an author
  // could approve by e-mail in the seconds before the GitHub channel reads the pull request.
  if (verdict === "approve" && !approval.rule.selfApproval && awaitingAuthors(approval)) {
    throw new NotAllowed(
      "authors-pending",
      "Greenlight is still reading on GitHub who wrote this change; please try again in a minute",
    );
  }
  // Authors may stop their own deploy; they may not wave it through.
  if (verdict === "approve" && !approval.rule.selfApproval && isAuthor(approval, actor)) {
    throw new NotAllowed("self-approval", "You cannot approve a deploy of your own change");
  }
  const phrase = confirmationPhrase(approval);
  if (phrase && confirmation?.trim().toLowerCase() !== phrase) {
    throw new NotAllowed("confirmation-required", `Type the first ${phrase.length} characters to confirm`);
  }
}

/** The actor with the name the policy's `people` gives them, when the channel did not supply one. */
export function namedActor(rule: Pick<Rule, "people">, actor: Actor): Actor {
  if (actor.name) return actor;
  const principal = principalFor(rule, actor);
  const person = rule.people.find((p) => `person:${p.name}` === principal);
  return person ? { ...actor, name: person.name } : actor;
}
