import type { Approval, Decision, Release, ReleasePull } from "../../core/approval.js";
import { describeActor } from "../../core/summary.js";
import { firstLineOf, neutralLine } from "../../core/untrusted.js";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "in 3 days", "in 5 hours", "2 minutes ago": the largest unit that fits, rounded. */
export function relativeTime(target: Date | string, now: Date): string {
  const ms = new Date(target).getTime() - now.getTime();
  for (const [unit, size] of UNITS) {
    // Rounded: a fresh 7-day approval (a few seconds short of 7 days) is "in 7 days", not 6.
    // Half away from zero, so the past rounds as the future does.
    if (Math.abs(ms) >= size || unit === "minute")
      return relative.format(Math.sign(ms) * Math.round(Math.abs(ms) / size), unit);
  }
  return relative.format(0, "minute");
}

const utc = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  hourCycle: "h23",
});

/** "Sun 6 Dec 2026, 20:22 UTC". */
export function formatUtc(at: Date | string): string {
  return `${utc.format(new Date(at))} UTC`;
}

/** "14:02 UTC" for today-ish events shown next to a name. */
export function formatTime(at: Date | string): string {
  const d = new Date(at);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`;
}

export const shortSha = (sha: string) => sha.slice(0, 7);

/** The first line of a commit message (CR, NEL and U+2028 end a line too), neutral. */
export const firstLine = (message: string) => firstLineOf(message);

/** "Approved by Ana Lima (ana@acme.io)" / "Rejected by …" for status lines. */
export function decisionLine(decision: Decision): string {
  const verb = decision.verdict === "approve" ? "Approved" : "Rejected";
  const voters =
    decision.verdict === "approve" && decision.approvals.length > 0 ? decision.approvals : [decision.by];
  return `${verb} by ${voters.map((v) => describeActor(v.actor)).join(", ")}`;
}

/** Everything a channel shows about what is waiting, in display form. */
export interface ApprovalView {
  title: string;
  pipeline: string;
  stage: string;
  action: string;
  commit?: { short: string; sha: string; message?: string; url?: string };
  pullRequest?: { number: number; url?: string; author?: string };
  /** What is being approved: every change since production last received one. */
  release?: ReleaseView;
  stagingUrl?: string;
  customData?: string;
  expiresUtc: string;
  expiresIn: string;
  quorum: number;
  approvals: number;
}

export interface ReleaseView {
  /** "3 pull requests, 7 commits since abc1234 (what production runs)". */
  summary: string;
  /** The pull requests to list (at most the `max` asked for), and how many more there are. */
  pulls: ReleasePull[];
  more: number;
  note?: string;
}

/** The release in a form every channel can show within its limits: `max` pull requests listed. */
export function releaseView(release: Release | undefined, max: number): ReleaseView | undefined {
  if (!release) return undefined;
  const total = release.pulls.length + (release.morePulls ?? 0);
  const counts = [
    total > 0 ? `${total} pull request${total === 1 ? "" : "s"}` : undefined,
    `${release.commits} commit${release.commits === 1 ? "" : "s"}`,
  ]
    .filter(Boolean)
    .join(", ");
  const since = release.base
    ? ` since ${shortSha(release.base)}, what production runs now`
    : release.note
      ? ""
      : " (the first release Greenlight has seen from this pipeline)";
  // Titles are the authors' words: neutral here so every channel, plain text included, gets them so.
  const pulls = release.pulls.slice(0, max).map((p) => ({ ...p, title: neutralLine(p.title) }));
  return {
    summary: `${counts}${since}`,
    pulls,
    more: total - pulls.length,
    ...(release.note ? { note: release.note } : {}),
  };
}

/** Pull requests listed by default in a channel's view. */
export const RELEASE_PULLS_SHOWN = 10;

export function viewOf(approval: Approval, now: Date): ApprovalView {
  const { request, context } = approval;
  const commit = context.commit;
  return {
    title: `Production approval: ${request.pipeline}`,
    pipeline: request.pipeline,
    stage: request.stage,
    action: request.action,
    ...(commit
      ? {
          commit: {
            short: shortSha(commit.sha),
            sha: commit.sha,
            ...(commit.message ? { message: firstLine(commit.message) } : {}),
            ...(commit.url ? { url: commit.url } : {}),
          },
        }
      : {}),
    ...(context.pullRequest ? { pullRequest: context.pullRequest } : {}),
    ...(context.release ? { release: releaseView(context.release, RELEASE_PULLS_SHOWN) as ReleaseView } : {}),
    ...(request.externalLink ? { stagingUrl: request.externalLink } : {}),
    ...(request.customData ? { customData: neutralLine(request.customData) } : {}),
    expiresUtc: formatUtc(request.expiresAt),
    expiresIn: relativeTime(request.expiresAt, now),
    quorum: approval.rule.quorum,
    approvals: Object.values(approval.votes).filter((v) => v.verdict === "approve").length,
  };
}
