import type { ApplicationFunction } from "probot";
import { GitHubApi } from "./api.js";
import type { GitHubHandlerDeps } from "./decide-as.js";
import { onCheckRunAction } from "./on-check-action.js";
import { onIssueComment } from "./on-comment.js";
import { checkRunActionEvent, issueCommentEvent, payloadProblem } from "./payloads.js";

/**
 * The Probot app: a thin map from GitHub events to Greenlight's use cases, each given an
 * installation-scoped client. Payloads are checked for the fields we read before anything runs.
 */
export function greenlightApp(
  deps: Omit<GitHubHandlerDeps, "appId">,
): (appId: number) => ApplicationFunction {
  return (appId) => (app) => {
    const handlerDeps = { ...deps, appId };

    app.on("issue_comment.created", async (context) => {
      const event = issueCommentEvent.safeParse(context.payload);
      if (!event.success)
        return deps.log.warn(
          { delivery: context.id, problem: payloadProblem(event.error) },
          "github: odd payload",
        );
      await onIssueComment(handlerDeps, new GitHubApi(context.octokit, appId), event.data);
    });

    app.on("check_run.requested_action", async (context) => {
      const event = checkRunActionEvent.safeParse(context.payload);
      if (!event.success)
        return deps.log.warn(
          { delivery: context.id, problem: payloadProblem(event.error) },
          "github: odd payload",
        );
      await onCheckRunAction(handlerDeps, new GitHubApi(context.octokit, appId), event.data);
    });
  };
}
