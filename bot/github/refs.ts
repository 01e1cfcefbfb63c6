import type { Approval } from "../../core/approval.js";

/**
 * What the GitHub channel keeps on `approval.channels.github`. The record stores flat
 * string/number values, so PR numbers are a comma list and comment ids are keyed `comment:<pr>`.
 */
export interface GitHubRefs {
  repo?: string;
  installationId?: number;
  /** Pull requests that carry a status comment (resolved once). */
  prs: number[];
  resolvedAt?: string;
  /** Status comment id per pull request. */
  comments: Map<number, number>;
  checkRunId?: number;
  /** Fingerprints of what was last written, so unchanged views cost no API call. */
  commentHash?: string;
  checkHash?: string;
  /** Who is creating the comments / check run right now, so a retry never posts twice. */
  claimedBy?: string;
  claimedAt?: string;
  /** Why the channel cannot show this approval (not installed, no commit…), for operators. */
  problem?: string;
}

const COMMENT_KEY = /^comment:(\d+)$/;

const str = (v: string | number | undefined) => (typeof v === "string" && v ? v : undefined);
const num = (v: string | number | undefined) => (typeof v === "number" ? v : undefined);

export function refsOf(approval: Pick<Approval, "channels">): GitHubRefs {
  const raw = approval.channels.github ?? {};
  const comments = new Map<number, number>();
  for (const [key, value] of Object.entries(raw)) {
    const pr = COMMENT_KEY.exec(key)?.[1];
    if (pr && typeof value === "number") comments.set(Number(pr), value);
  }
  const prs = str(raw.prs)?.split(",").map(Number).filter(Number.isInteger) ?? [];
  // exactOptionalPropertyTypes is off: an absent field is simply undefined.
  return {
    prs,
    comments,
    repo: str(raw.repo),
    installationId: num(raw.installationId),
    resolvedAt: str(raw.resolvedAt),
    checkRunId: num(raw.checkRunId),
    commentHash: str(raw.commentHash),
    checkHash: str(raw.checkHash),
    claimedBy: str(raw.claimedBy),
    claimedAt: str(raw.claimedAt),
    problem: str(raw.problem),
  };
}

function toRecord(refs: GitHubRefs): Record<string, string | number> {
  const { prs, comments, ...rest } = refs;
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) out[key] = value;
  if (prs.length > 0) out.prs = prs.join(",");
  for (const [pr, id] of comments) out[`comment:${pr}`] = id;
  return out;
}

/** The approval with its GitHub refs changed by `patch` (undefined values remove a field). */
export function withRefs(approval: Approval, patch: Partial<GitHubRefs>): Approval {
  const next = { ...refsOf(approval), ...patch };
  return { ...approval, channels: { ...approval.channels, github: toRecord(next) } };
}
