import { EmailChannel } from "../bot/email/channel.js";
import { emailRoutes } from "../bot/email/routes.js";
import { ReleaseStep } from "../bot/github/release-step.js";
import { createProjector } from "../bot/projector.js";
import type { Mount } from "./app.js";
import { SesMailer } from "./aws/ses-mailer.js";
import { type Config, required } from "./config.js";
import { ENV } from "./config-names.js";
import type { CoreDeps } from "./core-deps.js";
import { githubFor } from "./github-wiring.js";
import type { Logger } from "./log.js";
import { slackFor } from "./slack-wiring.js";

/** The projector with every configured channel. */
export function projectorFor(config: Config, deps: CoreDeps, log: Logger) {
  const email = new EmailChannel({
    ...deps,
    mailer: new SesMailer(required(config.fromEmail, ENV.fromEmail)),
    log,
    publicUrl: required(config.publicUrl, ENV.publicUrl),
  });
  const githubParts = githubFor(config.tableName, deps, log);
  const github = githubParts?.channel();
  const slack = slackFor(deps, log)?.channel();
  // Authors are read whenever a run's source is on GitHub, whatever channels its rule uses.
  const release = new ReleaseStep({
    ...deps,
    log,
    ...(githubParts ? { github: githubParts.app } : {}),
  });
  return createProjector({
    store: deps.store,
    prepare: [release],
    channels: [email, ...(github ? [github] : []), ...(slack ? [slack] : [])],
    log,
  });
}

/** Every channel's routes on the function URL. */
export function mountsFor(config: Config, deps: CoreDeps, log: Logger): Mount[] {
  const github = githubFor(config.tableName, deps, log)?.mount();
  const slack = slackFor(deps, log)?.mount();
  return [
    { path: "/a", routes: emailRoutes({ ...deps, log }) },
    ...(github ? [github] : []),
    ...(slack ? [slack] : []),
  ];
}
