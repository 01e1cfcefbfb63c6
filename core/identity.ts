import type { Actor, ChangeContext } from "./approval.js";
import type { Person, Rule } from "./policy.js";

/**
 * Who a channel identity is. Greenlight knows people by their GitHub account, because that is what
 * a change's authors are known by: a key is `person:<name>` (someone under `people:`), or
 * `github:<login>`, or, for an identity that links to neither, the identity itself (`email:…`,
 * `slack:…`). Only GitHub-anchored keys can be told apart from a change's authors, and only they
 * make up distinct people for a quorum: GitHub's terms allow one personal account per person, while
 * nothing stops one person from having several e-mail addresses.
 */
export type PersonKey = string;

// `12345+login@users.noreply.github.com`, or the older `login@users.noreply.github.com` (GitHub
// docs: "Setting your commit email address"). Bots are `<id>+name[bot]@users.noreply.github.com`.
const NOREPLY = /^(?:\d+\+)?([a-z0-9](?:[a-z0-9-]{0,38})(?:\[bot\])?)@users\.noreply\.github\.com$/i;

/** The GitHub login behind a GitHub noreply commit address, or undefined. */
export function noreplyLogin(email: string): string | undefined {
  return NOREPLY.exec(email.trim())?.[1]?.toLowerCase();
}

const emailsOf = (p: Person) => [...(p.email ? [p.email] : []), ...(p.emails ?? [])];

function personBy(people: Person[], test: (p: Person) => boolean): Person | undefined {
  return people.find(test);
}

/**
 * Everything that links an e-mail address to a GitHub login: the policy's `people`, GitHub's
 * noreply addresses, and the pairs GitHub itself reported for the change's commits (a commit is
 * attributed to an account only through one of that account's verified addresses).
 */
export interface IdentityLinks {
  people: Person[];
  /** Commit e-mail (lower-case) → GitHub login, as GitHub attributed the release's commits. */
  emailLogins?: Record<string, string>;
}

export function linksOf(
  rule: Pick<Rule, "people">,
  context?: Pick<ChangeContext, "emailLogins">,
): IdentityLinks {
  return { people: rule.people, ...(context?.emailLogins ? { emailLogins: context.emailLogins } : {}) };
}

/** The person key of one identity (`email:…`, `slack:…`, `github:…`). */
export function keyOf(links: IdentityLinks, channel: string, rawId: string): PersonKey {
  const id = rawId.trim().toLowerCase();
  if (channel === "github") {
    const person = personBy(links.people, (p) => p.github === id);
    return person ? `person:${person.name}` : `github:${id}`;
  }
  if (channel === "email") {
    const person = personBy(links.people, (p) => emailsOf(p).includes(id));
    if (person) return `person:${person.name}`;
    const login = noreplyLogin(id) ?? links.emailLogins?.[id];
    return login ? keyOf(links, "github", login) : `email:${id}`;
  }
  if (channel === "slack") {
    const person = personBy(links.people, (p) => p.slack?.toLowerCase() === id);
    return person ? `person:${person.name}` : `slack:${id}`;
  }
  return `${channel}:${id}`;
}

/** The person an actor is: their channel identity, else the e-mail their channel vouched for. */
export function actorKey(links: IdentityLinks, actor: Pick<Actor, "channel" | "id" | "email">): PersonKey {
  const own = keyOf(links, actor.channel, actor.id);
  if (own.startsWith("person:") || own.startsWith("github:") || !actor.email) return own;
  const byEmail = keyOf(links, "email", actor.email);
  return byEmail.startsWith("email:") ? own : byEmail;
}

/**
 * A key anchored to a GitHub account: a GitHub login, or a person under `people:` whose GitHub
 * login is given (or who is declared to have none, `github: false`). Anything else might be any of
 * the change's authors under another name.
 */
export function isAnchored(links: IdentityLinks, key: PersonKey): boolean {
  if (key.startsWith("github:")) return true;
  if (!key.startsWith("person:")) return false;
  const name = key.slice("person:".length);
  const person = links.people.find((p) => p.name === name);
  return person?.github !== undefined;
}

/** The person a key names under `people:`, if any. */
export function personNamed(links: IdentityLinks, key: PersonKey): Person | undefined {
  if (!key.startsWith("person:")) return undefined;
  const name = key.slice("person:".length);
  return links.people.find((p) => p.name === name);
}

/** The change's authors as people: each login and e-mail resolved through the links. */
export function authorKeys(links: IdentityLinks, authors: ChangeContext["authors"]): Set<PersonKey> {
  return new Set([
    ...authors.logins.map((l) => keyOf(links, "github", l)),
    ...authors.emails.map((e) => keyOf(links, "email", e)),
  ]);
}

/** Authors Greenlight cannot tie to a GitHub account (a co-author known by e-mail only). */
export function unlinkedAuthors(links: IdentityLinks, authors: ChangeContext["authors"]): string[] {
  return authors.emails.filter((e) => !isAnchored(links, keyOf(links, "email", e)));
}

/** Every raw identity an actor has (their own, the e-mail their channel gave, their `people:` entry). */
export function actorIdentities(
  links: IdentityLinks,
  actor: Pick<Actor, "channel" | "id" | "email">,
): { logins: Set<string>; emails: Set<string> } {
  const logins = new Set<string>();
  const emails = new Set<string>();
  const id = actor.id.toLowerCase();
  if (actor.channel === "github") logins.add(id);
  if (actor.channel === "email") emails.add(id);
  if (actor.email) emails.add(actor.email.toLowerCase());
  for (const e of [...emails]) {
    const login = noreplyLogin(e) ?? links.emailLogins?.[e];
    if (login) logins.add(login);
  }
  const person = personNamed(links, actorKey(links, actor));
  if (person?.github) logins.add(person.github);
  for (const e of person ? emailsOf(person) : []) emails.add(e);
  return { logins, emails };
}
