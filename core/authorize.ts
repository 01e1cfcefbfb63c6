import type { Actor, Approval, Verdict } from "./approval.js";
import { NotAllowed } from "./errors.js";
import {
  actorIdentities,
  actorKey,
  authorKeys,
  isAnchored,
  linksOf,
  personNamed,
  unlinkedAuthors,
} from "./identity.js";
import { PERMISSION_ORDER, type Rule } from "./policy.js";

/**
 * The principal a vote counts for: one person (under `people`, or a GitHub login, which GitHub
 * noreply addresses map to), or the channel identity.
 */
export function principalFor(
  rule: Pick<Rule, "people">,
  actor: Pick<Actor, "channel" | "id" | "email">,
): string {
  return actorKey(linksOf(rule), actor);
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

/** The repository the run's source came from: what CodePipeline said, else the rule's. */
export function sourceRepository(approval: Approval): string | undefined {
  return approval.context.repository ?? approval.rule.github?.repo;
}

/** The release is on GitHub and is being read right now (no answer, failure or problem yet). */
export function releasePending(approval: Approval): boolean {
  const { context } = approval;
  return Boolean(
    sourceRepository(approval) &&
      context.commit &&
      !context.authorsResolvedAt &&
      !context.authorsProblem &&
      !context.authorsRetry,
  );
}

function isAuthor(approval: Approval, actor: Actor): boolean {
  const links = linksOf(approval.rule, approval.context);
  const { authors, pullRequest } = approval.context;
  const all = {
    logins: [...authors.logins, ...(pullRequest?.author ? [pullRequest.author] : [])],
    emails: authors.emails,
  };
  if (authorKeys(links, all).has(actorKey(links, actor))) return true;
  // The same comparison on raw identities, in case a link above was missing.
  const { logins, emails } = actorIdentities(links, actor);
  return (
    all.logins.some((l) => logins.has(l.toLowerCase())) || all.emails.some((e) => emails.has(e.toLowerCase()))
  );
}

const listed = (xs: string[], max = 3) =>
  xs.slice(0, max).join(", ") + (xs.length > max ? ` and ${xs.length - max} more` : "");

/**
 * Why the self-approval check cannot be made for this approval yet (or at all), as a refusal:
 * the authors are unknown, still being read, or could not be read. Undefined when they are known.
 */
function blindness(approval: Approval): NotAllowed | undefined {
  const { context, rule } = approval;
  const fix = `Rejecting still works. To accept approvals without this check, set selfApproval: true on rule "${rule.name}".`;
  if (context.authorsProblem) {
    return new NotAllowed(
      "authors-unknown",
      `Greenlight cannot approve this deploy: it could not read who wrote the change (${context.authorsProblem}), so it cannot keep the authors from approving it. ${fix}`,
    );
  }
  if (!context.commit || !sourceRepository(approval)) {
    return new NotAllowed(
      "authors-unknown",
      `Greenlight cannot approve this deploy: CodePipeline did not say which GitHub commit it is (the source is not on GitHub, or the look-up failed), so Greenlight cannot tell who wrote it. ${fix}`,
    );
  }
  if (!context.authorsResolvedAt) {
    return new NotAllowed(
      "authors-pending",
      "Greenlight is still reading on GitHub who wrote this change; please try again in a minute",
    );
  }
  return undefined;
}

/**
 * The refusal for an approve under a rule that forbids self-approval, or undefined. An approve
 * counts only from someone Greenlight can positively tell apart from every author: authors known,
 * the actor tied to a GitHub account, every author tied to one, and the actor none of them.
 */
function selfApprovalRefusal(approval: Approval, actor: Actor): NotAllowed | undefined {
  const blind = blindness(approval);
  if (blind) return blind;
  if (isAuthor(approval, actor)) {
    return new NotAllowed("self-approval", "You cannot approve a deploy of your own change");
  }
  const links = linksOf(approval.rule, approval.context);
  if (!isAnchored(links, actorKey(links, actor))) {
    return new NotAllowed(
      "identity-unlinked",
      `Greenlight cannot tell ${actor.channel}:${actor.id} apart from the change's authors: list this person under people: in greenlight.yml with their GitHub login (or github: false if they have no GitHub account). Rejecting still works.`,
    );
  }
  const unlinked = unlinkedAuthors(links, approval.context.authors);
  if (unlinked.length > 0) {
    return new NotAllowed(
      "authors-unlinked",
      `Greenlight cannot tell who ${listed(unlinked)} is on GitHub (an author known by e-mail only), so it cannot keep them from approving: list them under people: in greenlight.yml with their GitHub login. Rejecting still works.`,
    );
  }
  return undefined;
}

/** What a person must type before a high-risk approve counts, or undefined. */
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
  // Authors may stop their own deploy, and anyone allowed may always reject; approving needs more.
  if (verdict === "approve" && !approval.rule.selfApproval) {
    const refusal = selfApprovalRefusal(approval, actor);
    if (refusal) throw refusal;
  }
  // Quorum counts people: an identity tied to no GitHub account could be a second vote of anyone.
  if (verdict === "approve" && approval.rule.quorum > 1) {
    const links = linksOf(approval.rule, approval.context);
    if (!isAnchored(links, actorKey(links, actor))) {
      throw new NotAllowed(
        "identity-unlinked",
        `This deploy needs ${approval.rule.quorum} different people, and Greenlight cannot tell ${actor.channel}:${actor.id} apart from the others: list this person under people: in greenlight.yml with their GitHub login (or github: false). Rejecting still works.`,
      );
    }
  }
  // The typed confirmation guards approving only (docs/security.md#31-no-implicit-decision): a scanner or a slip that
  // rejects stops a deploy someone can restart, and rejecting must never be harder than approving.
  const phrase = verdict === "approve" ? confirmationPhrase(approval) : undefined;
  if (phrase && confirmation?.trim().toLowerCase() !== phrase) {
    throw new NotAllowed("confirmation-required", `Type the first ${phrase.length} characters to confirm`);
  }
}

/**
 * The actor with the name the policy's `people` gives them (that name first, so a person is named
 * the same in every channel and in CodePipeline's summary), else the name the channel supplied.
 */
export function namedActor(rule: Pick<Rule, "people">, actor: Actor): Actor {
  const person = personNamed(linksOf(rule), principalFor(rule, actor));
  return person ? { ...actor, name: person.name } : actor;
}
