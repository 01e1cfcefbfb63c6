import picomatch from "picomatch";
import { InvalidInput } from "./errors.js";
import { isAnchored, keyOf, linksOf } from "./identity.js";
import * as z from "./zod.js";
import { firstIssue, formatPath } from "./zod-issues.js";

const DURATION = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30m`, `4h`, `1d` → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m?.[1] || !m[2]) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const duration = z.pipe(
  z
    .string()
    .check(
      z.refine(
        (s) => (parseDuration(s) ?? 0) >= 60_000,
        "expected a duration of at least 1m, like 30m, 4h or 1d",
      ),
    ),
  z.transform((s: string) => parseDuration(s) ?? 0),
);

const lower = z.transform((s: string) => s.toLowerCase());
const glob = z.string().check(z.minLength(1, "expected a name or glob pattern"));
const email = z.pipe(z.email("expected an e-mail address"), lower);
const slackUser = z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/, "expected a Slack user id like U012AB3CD"));
const slackGroup = z
  .string()
  .check(z.regex(/^S[A-Z0-9]{2,}$/, "expected a Slack user group id like S0123ABC"));
const slackChannel = z
  .string()
  .check(z.regex(/^[CG][A-Z0-9]{2,}$/, "expected a Slack channel id like C0123ABC"));
const githubLogin = z.pipe(
  z.string().check(z.regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "expected a GitHub login")),
  lower,
);
const githubRepo = z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/repository"));
const githubTeam = z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/, "expected org/team-slug"));

export const PERMISSION_ORDER = ["read", "triage", "write", "maintain", "admin"] as const;

const emailChannel = z.strictObject({
  recipients: z.array(email).check(z.minLength(1, "expected at least one recipient")),
});
const slackChannelConfig = z.strictObject({
  channel: slackChannel,
  approvers: z
    .strictObject({ users: z._default(z.array(slackUser), []), group: z.optional(slackGroup) })
    .check(z.refine((a) => a.users.length > 0 || Boolean(a.group), "expected users or a group")),
});
const githubChannel = z.strictObject({
  repo: z.optional(githubRepo),
  approvers: z
    .strictObject({
      logins: z._default(z.array(githubLogin), []),
      team: z.optional(githubTeam),
      minPermission: z.optional(z.enum(PERMISSION_ORDER)),
    })
    .check(
      z.refine(
        (a) => a.logins.length > 0 || Boolean(a.team || a.minPermission),
        "expected logins, a team or minPermission",
      ),
    ),
});

// Unions get their own message: zod's default for a union is a bare "Invalid input".
const highRisk = z.union(
  [
    z.boolean(),
    z.strictObject({
      confirm: z.literal("commit-prefix"),
      length: z._default(z.number().check(z.int(), z.gte(4), z.lte(12)), 4),
    }),
  ],
  { error: "expected true, false or { confirm: commit-prefix, length: 4 to 12 }" },
);

const ruleFields = {
  quorum: z
    .number()
    .check(
      z.int("expected a whole number"),
      z.gte(1, "expected at least 1"),
      z.lte(20, "expected at most 20"),
    ),
  selfApproval: z.boolean(),
  reminderEvery: z.union([duration, z.literal(false)], {
    error: "expected a duration of at least 1m, like 30m, 4h or 1d, or false",
  }),
  highRisk,
};

const person = z.strictObject({
  name: z.string().check(z.minLength(1)),
  email: z.optional(email),
  /** Further addresses of the same person (a personal commit address, an alias). */
  emails: z.optional(z.array(email)),
  slack: z.optional(slackUser),
  /** Their GitHub login, or `false` for someone who has no GitHub account (a stakeholder). */
  github: z.optional(
    z.union([githubLogin, z.literal(false)], { error: "expected a GitHub login, or false for none" }),
  ),
});

const ruleSchema = z.strictObject({
  name: z.optional(z.string()),
  match: z.strictObject({
    pipeline: z._default(glob, "*"),
    stage: z._default(glob, "*"),
    action: z._default(glob, "*"),
  }),
  quorum: z.optional(ruleFields.quorum),
  selfApproval: z.optional(ruleFields.selfApproval),
  reminderEvery: z.optional(ruleFields.reminderEvery),
  highRisk: z.optional(highRisk),
  email: z.optional(emailChannel),
  slack: z.optional(slackChannelConfig),
  github: z.optional(githubChannel),
});

const policySchema = z.strictObject({
  version: z.literal(1, "expected version: 1"),
  defaults: z._default(z.partial(z.strictObject(ruleFields)), {}),
  people: z._default(z.array(person), []),
  rules: z.array(ruleSchema).check(z.minLength(1, "expected at least one rule")),
});

type RawPolicy = z.infer<typeof policySchema>;
export type Person = z.infer<typeof person>;

/** One rule with defaults applied: what governs one approval. Plain data, stored on the approval. */
export interface Rule {
  name: string;
  match: { pipeline: string; stage: string; action: string };
  quorum: number;
  selfApproval: boolean;
  /** Milliseconds between reminders, or false. */
  reminderEvery: number | false;
  /** Typed confirmation (the first `length` characters of the commit) before a decision counts. */
  highRisk: false | { confirm: "commit-prefix"; length: number };
  email?: { recipients: string[] };
  slack?: { channel: string; approvers: { users: string[]; group?: string } };
  github?: {
    repo?: string;
    approvers: { logins: string[]; team?: string; minPermission?: (typeof PERMISSION_ORDER)[number] };
  };
  /** People named in the policy, so one person acting from two channels counts once. */
  people: Person[];
}

export interface Policy {
  rules: Rule[];
  /** Allowed but probably not meant (each names its place in the file): shown by `npm start` and `cdk synth`. */
  warnings: string[];
}

const DEFAULTS = { quorum: 1, selfApproval: false, reminderEvery: 4 * 3_600_000, highRisk: false } as const;

function resolve(raw: RawPolicy): Policy {
  const rules = raw.rules.map((r, i): Rule => {
    const highRiskValue = r.highRisk ?? raw.defaults.highRisk ?? DEFAULTS.highRisk;
    return {
      name: r.name ?? `rules[${i}]`,
      match: r.match,
      quorum: r.quorum ?? raw.defaults.quorum ?? DEFAULTS.quorum,
      selfApproval: r.selfApproval ?? raw.defaults.selfApproval ?? DEFAULTS.selfApproval,
      reminderEvery: r.reminderEvery ?? raw.defaults.reminderEvery ?? DEFAULTS.reminderEvery,
      highRisk: highRiskValue === true ? { confirm: "commit-prefix", length: 4 } : highRiskValue,
      ...(r.email ? { email: r.email } : {}),
      ...(r.slack ? { slack: r.slack } : {}),
      ...(r.github ? { github: r.github } : {}),
      people: raw.people,
    };
  });
  return { rules, warnings: [] };
}

/** One rule's approvers listed by identity, with the path each was written at. */
function listedApprovers(rule: Rule, i: number): { path: PropertyKey[]; channel: string; id: string }[] {
  return [
    ...(rule.email?.recipients.map((id, j) => ({
      path: ["rules", i, "email", "recipients", j],
      channel: "email",
      id,
    })) ?? []),
    ...(rule.slack?.approvers.users.map((id, j) => ({
      path: ["rules", i, "slack", "approvers", "users", j],
      channel: "slack",
      id,
    })) ?? []),
    ...(rule.github?.approvers.logins.map((id, j) => ({
      path: ["rules", i, "github", "approvers", "logins", j],
      channel: "github",
      id,
    })) ?? []),
  ];
}

/** An identity written under two people would make the self-approval check ambiguous. */
function peopleProblem(people: Person[]): [PropertyKey[], string] | undefined {
  const seen = new Map<string, string>();
  for (const [i, p] of people.entries()) {
    const ids = [
      ...[p.email, ...(p.emails ?? [])].filter(Boolean).map((e) => `email ${e}`),
      ...(p.slack ? [`slack ${p.slack}`] : []),
      ...(p.github ? [`github ${p.github}`] : []),
    ];
    for (const id of ids) {
      const other = seen.get(id);
      if (other !== undefined && other !== p.name)
        return [["people", i], `expected each identity under one person: ${id} is also ${other}'s`];
      seen.set(id, p.name);
    }
  }
  return undefined;
}

/** Problems zod cannot see: a rule nobody can satisfy. Returns [path, message] or undefined. */
function semanticProblem(policy: Policy, people: Person[]): [PropertyKey[], string] | undefined {
  const duplicate = peopleProblem(people);
  if (duplicate) return duplicate;
  for (const [i, rule] of policy.rules.entries()) {
    if (!rule.email && !rule.slack && !rule.github) {
      return [["rules", i], "expected at least one channel (email, slack or github)"];
    }
    const open =
      rule.slack?.approvers.group || rule.github?.approvers.team || rule.github?.approvers.minPermission;
    if (open) continue;
    const links = linksOf(rule);
    const keys = new Set(listedApprovers(rule, i).map((a) => keyOf(links, a.channel, a.id)));
    if (rule.quorum > keys.size) {
      return [
        ["rules", i, "quorum"],
        `expected at most ${keys.size}: only ${keys.size} distinct approver(s)`,
      ];
    }
  }
  return undefined;
}

/**
 * What is allowed but probably not meant: approvers who can never approve, rules that can never
 * be approved, rules open to authors. Quorum counts people, and under `selfApproval: false` only
 * people tied to a GitHub account can approve (core/identity.ts); such rules still let everyone
 * listed reject, so they fail safe, and are said at load rather than refused.
 */
function semanticWarnings(policy: Policy): [PropertyKey[], string][] {
  const warnings: [PropertyKey[], string][] = [];
  for (const [i, rule] of policy.rules.entries()) {
    if (rule.selfApproval) {
      warnings.push([
        ["rules", i, "selfApproval"],
        `rule "${rule.name}" lets the authors of a change approve its deploy (selfApproval: true)`,
      ]);
    }
    // Reminders, at their worst: CodePipeline lets an approval wait up to 86,400 minutes (60 days;
    // "Quotas in AWS CodePipeline"). One e-mail per recipient per reminder; the record keeps two
    // links per recipient (first and latest) within DynamoDB's 400 KB item (docs/security.md#33-nothing-grows-without-bound).
    if (rule.email) {
      const MAX_WAIT_MS = 60 * 86_400_000;
      const MAX_REMINDER_EMAILS = 10_000;
      const recipients = rule.email.recipients.length;
      const every = rule.reminderEvery;
      const emails = every === false ? 0 : Math.floor(MAX_WAIT_MS / every) * recipients;
      const linksEach = every === false ? 1 : 2;
      const linkBytes = rule.email.recipients.reduce((n, r) => n + linksEach * (2 * r.length + 140), 0);
      if (emails > MAX_REMINDER_EMAILS) {
        const hours = Math.ceil((MAX_WAIT_MS * recipients) / MAX_REMINDER_EMAILS / 3_600_000);
        warnings.push([
          ["rules", i, "reminderEvery"],
          `rule "${rule.name}" could send ${emails.toLocaleString("en-US")} reminder e-mails to its ${recipients} recipient(s) if an approval waits CodePipeline's 60-day maximum: set reminderEvery to ${hours}h or more, or false`,
        ]);
      }
      if (linkBytes > 200 * 1024) {
        warnings.push([
          ["rules", i, "email", "recipients"],
          `rule "${rule.name}" has ${recipients} e-mail recipients: their links alone take about ${Math.round(linkBytes / 1024)} KB of the approval record's 400 KB (DynamoDB's item limit); use fewer recipients, or a mailing list`,
        ]);
      }
    }
    if (rule.selfApproval && rule.quorum === 1) continue;
    const links = linksOf(rule);
    const listed = listedApprovers(rule, i);
    const anchored = new Set(
      listed.map((a) => keyOf(links, a.channel, a.id)).filter((k) => isAnchored(links, k)),
    );
    const open =
      rule.slack?.approvers.group || rule.github?.approvers.team || rule.github?.approvers.minPermission;
    if (!open && anchored.size < rule.quorum) {
      warnings.push([
        ["rules", i],
        anchored.size === 0
          ? `rule "${rule.name}" can never be approved: none of its approvers is listed under people: with their GitHub login (or github: false), so none can be told apart from the change's authors`
          : `rule "${rule.name}" can never reach its quorum of ${rule.quorum}: only ${anchored.size} of its approvers are distinct people tied to GitHub under people:`,
      ]);
    }
    for (const a of listed) {
      if (isAnchored(links, keyOf(links, a.channel, a.id))) continue;
      warnings.push([
        a.path,
        `${a.channel}:${a.id} can reject but never approve under rule "${rule.name}": list them under people: with their GitHub login (or github: false)`,
      ]);
    }
    if (rule.slack?.approvers.group) {
      warnings.push([
        ["rules", i, "slack", "approvers", "group"],
        `members of ${rule.slack.approvers.group} can approve only if they are listed under people: (by Slack id or e-mail) with their GitHub login (or github: false)`,
      ]);
    }
  }
  return warnings;
}

/** The person behind a channel identity (`email:…`, `slack:…`, `github:…`), or the identity itself. */
export function principalOf(rule: Pick<Rule, "people">, identity: string): string {
  const [channel, ...rest] = identity.split(":");
  const id = rest.join(":").toLowerCase();
  const person = rule.people.find(
    (p) =>
      (channel === "email" && p.email === id) ||
      (channel === "slack" && p.slack?.toLowerCase() === id) ||
      (channel === "github" && p.github === id),
  );
  return person ? `person:${person.name}` : `${channel}:${id}`;
}

// Every key the policy format knows, wherever it appears: a misspelling is suggested its nearest.
const KNOWN_KEYS = [
  ...["version", "defaults", "people", "rules", "name", "match", "pipeline", "stage", "action"],
  ...["quorum", "selfApproval", "reminderEvery", "highRisk", "confirm", "length"],
  ...["email", "emails", "slack", "github", "recipients", "channel", "approvers", "users", "group"],
  ...["repo", "logins", "team", "minPermission"],
];

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known key a misspelt one most likely meant, if any is close (case ignored). */
function nearestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const known of KNOWN_KEYS) {
    const d = editDistance(key.toLowerCase(), known.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

/**
 * Validate plain policy data; `where` names the place in the source a failing path came from
 * (a line in the YAML, or just the file), at the key itself when `part` is "key".
 */
export function validatePolicy(value: unknown, where: (path: PropertyKey[], part?: "key") => string): Policy {
  const parsed = policySchema.safeParse(value);
  if (!parsed.success) {
    // A misspelt key comes first: it usually explains the "missing" key reported beside it.
    const issue = parsed.error.issues.find((i) => i.code === "unrecognized_keys");
    const unknownKey = issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined;
    if (issue && unknownKey !== undefined) {
      // Point at the misspelt key itself, not at the object around it or its value.
      const path = [...issue.path, unknownKey];
      const near = nearestKey(unknownKey);
      const hint = near ? `; did you mean "${near}"?` : "";
      throw new InvalidInput(where(path, "key"), formatPath(path), `unknown key "${unknownKey}"${hint}`);
    }
    const { field, expected, path } = firstIssue(parsed.error);
    throw new InvalidInput(where(path), field, expected);
  }
  const policy = resolve(parsed.data);
  const problem = semanticProblem(policy, parsed.data.people);
  if (problem) throw new InvalidInput(where(problem[0]), formatPath(problem[0]), problem[1]);
  const warnings = semanticWarnings(policy).map(
    ([path, message]) => `${where(path)}: ${formatPath(path)}: ${message}`,
  );
  return { ...policy, warnings };
}

/**
 * Validate an already-parsed policy object (the JSON infra ships to the functions). YAML text is
 * read by `policy-yaml.ts`, kept apart so the functions do not bundle a YAML parser.
 */
export function parsePolicyObject(value: unknown, source = "greenlight.yml"): Policy {
  return validatePolicy(value, () => source);
}

// CodePipeline names may start with a dot; picomatch's `*` skips such "dotfiles" unless told not to.
const GLOB_OPTIONS = { dot: true } as const;

/** The first rule whose globs match the approval action, or undefined. */
export function matchRule(
  policy: Policy,
  target: { pipeline: string; stage: string; action: string },
): Rule | undefined {
  return policy.rules.find(
    (r) =>
      picomatch.isMatch(target.pipeline, r.match.pipeline, GLOB_OPTIONS) &&
      picomatch.isMatch(target.stage, r.match.stage, GLOB_OPTIONS) &&
      picomatch.isMatch(target.action, r.match.action, GLOB_OPTIONS),
  );
}
