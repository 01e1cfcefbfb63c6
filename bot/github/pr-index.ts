/**
 * Greenlight's own record of which approvals have a status comment on which pull request, written
 * when the GitHub channel adopts the PRs it posts on. A comment command reads it instead of listing
 * every comment on the PR (one paginated GitHub call per 100 comments, for every drive-by comment).
 * An entry is a hint: the approval's own refs must still say it is on this repository and PR.
 */
export interface PullRequestIndex {
  /** Note that `approvalIds` post on `repo`#`pr`; kept at least until `keepUntil` (ISO time). */
  add(repo: string, pr: number, approvalIds: string[], keepUntil: string): Promise<void>;
  /** Approval ids noted on `repo`#`pr` (repository names compare case-insensitively). */
  approvalsOn(repo: string, pr: number): Promise<string[]>;
}

/**
 * Who was already told what about an approval, so a refusal is answered once per person and reason
 * (twenty accounts commenting `/approve` twice get twenty replies, not forty).
 */
export interface ReplyLog {
  /** True the first time `login` is answered `reason` on `approvalId`; false ever after. */
  first(approvalId: string, login: string, reason: string, keepUntil: string): Promise<boolean>;
}

export const prKey = (repo: string, pr: number) => `${repo.toLowerCase()}#${pr}`;
export const replyKey = (approvalId: string, login: string, reason: string) =>
  `${approvalId}#${login.toLowerCase()}#${reason}`;

/** In-process index and reply log, for unit tests and single-process tools. */
export class MemoryPullRequestIndex implements PullRequestIndex, ReplyLog {
  private readonly prs = new Map<string, Set<string>>();
  private readonly replied = new Set<string>();

  async add(repo: string, pr: number, approvalIds: string[]): Promise<void> {
    const ids = this.prs.get(prKey(repo, pr)) ?? new Set<string>();
    for (const id of approvalIds) ids.add(id);
    this.prs.set(prKey(repo, pr), ids);
  }

  async approvalsOn(repo: string, pr: number): Promise<string[]> {
    return [...(this.prs.get(prKey(repo, pr)) ?? [])];
  }

  async first(approvalId: string, login: string, reason: string): Promise<boolean> {
    const key = replyKey(approvalId, login, reason);
    if (this.replied.has(key)) return false;
    this.replied.add(key);
    return true;
  }
}
