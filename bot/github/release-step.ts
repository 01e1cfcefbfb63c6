import { type Approval, isFinal } from "../../core/approval.js";
import { sourceRepository } from "../../core/authorize.js";
import { InvalidInput } from "../../core/errors.js";
import { mutate } from "../../core/mutate.js";
import type { ApprovalStore, Clock, DeployLog, Pipeline } from "../../core/ports.js";
import type { ChannelProjector } from "../channel.js";
import type { Log } from "../shared/log.js";
import { ReleaseTooLarge } from "./api.js";
import type { GitHubApp } from "./probot.js";
import { ReleaseUnreadable, readRelease, withRelease } from "./release.js";

export interface ReleaseStepDeps {
  store: ApprovalStore;
  clock: Clock;
  log: Log;
  /** What production last received: Greenlight's own record first, then CodePipeline's history. */
  deploys: DeployLog;
  pipeline: Pick<Pipeline, "lastSucceededCommit">;
  /** The GitHub App; undefined when none is configured (then authors cannot be read). */
  github?: () => Promise<GitHubApp>;
}

const statusOf = (e: unknown) =>
  typeof e === "object" && e !== null && "status" in e && typeof e.status === "number" ? e.status : undefined;

/**
 * Reads the release and its authors from GitHub for every approval whose source is on GitHub,
 * whatever channels its rule uses: the self-approval check depends on it. A problem that waiting
 * will not fix (no App, not installed, a commit GitHub does not know) is recorded on the
 * approval, which keeps approving refused and says why; an outage is retried.
 */
export class ReleaseStep implements ChannelProjector {
  readonly name = "release";
  constructor(private readonly deps: ReleaseStepDeps) {}

  async sync(approval: Approval): Promise<void> {
    const { context } = approval;
    if (isFinal(approval) || context.authorsResolvedAt || context.authorsProblem) return;
    const repo = sourceRepository(approval);
    const head = context.commit?.sha;
    // Not a GitHub source: nothing to read; authorize says why approving needs selfApproval.
    if (!repo || !head) return;
    if (!this.deps.github) return this.problem(approval, "no GitHub App is configured for Greenlight");
    try {
      await this.read(approval, repo, head);
    } catch (e: unknown) {
      // An outage (GitHub 5xx, rate limited, unreachable): say so on the record, so people are
      // told why approving waits, and let the caller's retry (the stream) try again.
      await this.retrying(approval, e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  private async read(approval: Approval, repo: string, head: string): Promise<void> {
    let app: GitHubApp;
    try {
      app = await (this.deps.github as () => Promise<GitHubApp>)();
    } catch (e: unknown) {
      if (!(e instanceof InvalidInput)) throw e;
      return this.problem(approval, `the GitHub App is not configured (${e.message})`);
    }
    const installationId = await app.installationFor(repo);
    if (installationId === undefined)
      return this.problem(approval, `the GitHub App is not installed on ${repo}`);
    const api = await app.api(installationId);
    const base = await this.baseOf(approval);
    try {
      const read = await readRelease(api, repo, head, base);
      const at = this.deps.clock.now().toISOString();
      await mutate(this.deps.store, approval.id, (current) =>
        current.context.authorsResolvedAt
          ? undefined
          : { ...current, context: withRelease(current.context, repo, read, at) },
      );
      this.deps.log.info(
        {
          approvalId: approval.id,
          step: "release",
          repo,
          commits: read.release.commits,
          pulls: read.release.pulls.length + (read.release.morePulls ?? 0),
          authors: read.authors.logins.length + read.authors.emails.length,
        },
        "release: authors read",
      );
    } catch (e: unknown) {
      if (e instanceof ReleaseUnreadable || e instanceof ReleaseTooLarge)
        return this.problem(approval, e.message);
      const status = statusOf(e);
      if (status === 404 || status === 422) {
        const what = base ? `${base.sha.slice(0, 7)}...${head.slice(0, 7)}` : head.slice(0, 7);
        return this.problem(approval, `GitHub does not know ${what} in ${repo}`);
      }
      throw e;
    }
  }

  private async baseOf(approval: Approval) {
    const { request } = approval;
    const deployed = await this.deps.deploys.lastDeployed(request);
    if (deployed) return { sha: deployed, from: "deployed" as const };
    const succeeded = await this.deps.pipeline.lastSucceededCommit(request.pipeline);
    return succeeded ? { sha: succeeded, from: "pipeline-history" as const } : undefined;
  }

  private async problem(approval: Approval, problem: string): Promise<void> {
    this.deps.log.error(
      { approvalId: approval.id, step: "release", problem },
      "release: cannot read who wrote this change; approving stays refused until it is fixed",
    );
    await mutate(this.deps.store, approval.id, (current) =>
      current.context.authorsResolvedAt || current.context.authorsProblem === problem
        ? undefined
        : { ...current, context: { ...current.context, authorsProblem: problem } },
    );
  }

  private async retrying(approval: Approval, message: string): Promise<void> {
    const retry = `GitHub did not answer (${message.slice(0, 200)})`;
    await mutate(this.deps.store, approval.id, (current) =>
      current.context.authorsResolvedAt || current.context.authorsRetry === retry
        ? undefined
        : { ...current, context: { ...current.context, authorsRetry: retry } },
    ).catch(() => undefined);
  }
}
