import { EmailChannel } from "../bot/email/channel.js";
import { emailRoutes } from "../bot/email/routes.js";
import { createProjector } from "../bot/projector.js";
import type { Mount } from "./app.js";
import { CodePipelineAdapter } from "./aws/codepipeline.js";
import { DynamoApprovalStore } from "./aws/dynamodb-store.js";
import { SesMailer } from "./aws/ses-mailer.js";
import { codePipelineClient, cryptoRandom, dynamoClient, systemClock } from "./clients.js";
import { type Config, required } from "./config.js";
import { ENV } from "./config-names.js";
import type { Logger } from "./log.js";

/** The real adapters, built once per container from the config. */
export function coreDeps(config: Config) {
  return {
    store: new DynamoApprovalStore({
      tableName: config.tableName,
      client: dynamoClient,
      retentionDays: config.retentionDays,
    }),
    pipeline: new CodePipelineAdapter(codePipelineClient),
    clock: systemClock,
    random: cryptoRandom,
  };
}

/** The projector with every configured channel. */
export function projectorFor(config: Config, deps: ReturnType<typeof coreDeps>, log: Logger) {
  const email = new EmailChannel({
    ...deps,
    mailer: new SesMailer(required(config.fromEmail, ENV.fromEmail)),
    log,
    publicUrl: required(config.publicUrl, ENV.publicUrl),
  });
  return createProjector({ store: deps.store, channels: [email], log });
}

/** Every channel's routes on the function URL. */
export function mountsFor(_config: Config, deps: ReturnType<typeof coreDeps>, log: Logger): Mount[] {
  return [{ path: "/a", routes: emailRoutes({ ...deps, log }) }];
}
