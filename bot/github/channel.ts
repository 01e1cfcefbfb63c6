import type { Approval } from "../../core/approval.js";
import { InvalidInput } from "../../core/errors.js";
import { mutate } from "../../core/mutate.js";
import type { ApprovalStore, Clock, Random } from "../../core/ports.js";
import type { ChannelProjector } from "../channel.js";
import type { Log } from "../shared/log.js";
import type { PullRequestIndex } from "./pr-index.js";
import type { GitHubApp } from "./probot.js";
import { publish } from "./publish.js";
import { type GitHubRefs, refsOf, withRefs } from "./refs.js";
import { fingerprint, renderCheckRun, renderComment } from "./render.js";

export interface GitHubChannelDeps {
  store: ApprovalStore;
  clock: Clock;
  random: Random;
  log: Log;
  github: () => Promise<GitHubApp>;
  /** Where comment commands find the approvals of a PR (written here, on adoption). */
  pullRequests: PullRequestIndex;
}

/** A creation claim older than this was interrupted (a crash mid-post; posting takes seconds). */
const CLAIM_MS = 60_000;

function targetOf(approval: Approval): { repo: string; sha: string } | undefined {
  const repo = approval.rule.github?.repo ?? approval.context.repository;
  const sha = approval.context.commit?.sha;
  return repo && sha ? { repo, sha } : undefined;
}

/**
 * The pull request view of an approval: one status comment per PR of the waiting commit and one
 * check run on the commit, both following every change.
 * Idempotent: refs and fingerprints on the record say what exists and what it shows; creating
 * is claimed first, and a lost reply is found again by marker / external id, never posted twice.
 */
export class GitHubChannel implements ChannelProjector {
  readonly name = "github";
  constructor(private readonly deps: GitHubChannelDeps) {}

  async sync(approval: Approval): Promise<void> {
    if (!approval.rule.github) return;
    const refs = refsOf(approval);
    const target = targetOf(approval);
    if (!target) return this.problem(approval, refs, "no GitHub repository or commit for this run");
    if (refs.resolvedAt && this.upToDate(approval, refs)) return;
    // The release step (release-step.ts) reads the pull requests and authors; the views follow
    // once it has, so the status comment goes to the right PRs and lists the whole release.
    const { context } = approval;
    if (!context.authorsResolvedAt && !context.authorsProblem) return;

    const app = await this.deps.github().catch((e: unknown) => {
      // A secret not filled in yet (or malformed) is the operator's to fix, not a reason to fail
      // every change of every approval into the dead-letter queue; other channels carry on.
      if (!(e instanceof InvalidInput)) throw e;
      this.deps.log.error(
        { approvalId: approval.id, channel: "github", problem: e.message },
        "github: not configured",
      );
      return undefined;
    });
    if (!app) return;
    const installationId = refs.installationId ?? (await app.installationFor(target.repo));
    if (installationId === undefined)
      return this.problem(approval, refs, `the GitHub App is not installed on ${target.repo}`);
    const api = await app.api(installationId);

    const current = refs.resolvedAt ? approval : await this.adopt(approval, target.repo, installationId);
    const latest = refsOf(current);
    const creates = latest.prs.some((pr) => !latest.comments.has(pr)) || latest.checkRunId === undefined;
    const owned = creates ? await this.claim(current.id) : current;
    // Another run is posting right now; failing makes the caller retry later, when it is done
    // (or its claim went stale because it crashed), rather than leave the views unposted.
    if (!owned) throw new Error(`github: another run is posting the views of ${approval.id}; retry`);
    await publish({ api, store: this.deps.store, approval: owned, target, log: this.deps.log });
  }

  private upToDate(approval: Approval, refs: GitHubRefs): boolean {
    return (
      refs.prs.every((pr) => refs.comments.has(pr)) &&
      refs.checkRunId !== undefined &&
      refs.commentHash === fingerprint(renderComment(approval)) &&
      refs.checkHash === fingerprint(renderCheckRun(approval))
    );
  }

  /**
   * Take the pull requests the release step found as the ones that carry the status comment, and
   * index them first: once `resolvedAt` is written adoption never runs again, so an index write
   * that failed after it would leave the PR's commands finding nothing. An extra entry is harmless.
   */
  private async adopt(approval: Approval, repo: string, installationId: number): Promise<Approval> {
    const resolvedAt = this.deps.clock.now().toISOString();
    const index = (prs: number[]) =>
      Promise.all(
        prs.map((pr) => this.deps.pullRequests.add(repo, pr, [approval.id], approval.request.expiresAt)),
      );
    const planned = approval.context.release?.headPulls ?? [];
    await index(planned);
    const { approval: written } = await mutate(this.deps.store, approval.id, (current) => {
      if (refsOf(current).resolvedAt) return undefined;
      return withRefs(current, {
        repo,
        installationId,
        prs: current.context.release?.headPulls ?? [],
        resolvedAt,
      });
    });
    const adopted = refsOf(written).prs;
    // Another run may have adopted from a newer copy of the record; index what it wrote too.
    await index(adopted.filter((pr) => !planned.includes(pr)));
    this.deps.log.info(
      { approvalId: approval.id, channel: "github", repo, prs: adopted },
      "github: pull requests adopted",
    );
    return written;
  }

  /** Claim the right to create; undefined when another run holds a fresh claim. */
  private async claim(id: string): Promise<Approval | undefined> {
    const now = this.deps.clock.now();
    const me = Buffer.from(this.deps.random.bytes(9)).toString("base64url");
    const { approval } = await mutate(this.deps.store, id, (current) => {
      const refs = refsOf(current);
      const fresh = refs.claimedAt && now.getTime() - Date.parse(refs.claimedAt) < CLAIM_MS;
      if (fresh && refs.claimedBy !== me) return undefined;
      return withRefs(current, { claimedBy: me, claimedAt: now.toISOString() });
    });
    return refsOf(approval).claimedBy === me ? approval : undefined;
  }

  private async problem(approval: Approval, refs: GitHubRefs, problem: string): Promise<void> {
    if (refs.problem === problem) return;
    this.deps.log.warn(
      { approvalId: approval.id, channel: "github", problem },
      "github: cannot show approval",
    );
    await mutate(this.deps.store, approval.id, (current) =>
      refsOf(current).problem === problem ? undefined : withRefs(current, { problem }),
    );
  }
}
