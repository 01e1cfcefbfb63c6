// The checks of the channels Greenlight talks through: Slack and GitHub.
import type { Check } from "./check.js";
import { githubCheck } from "./github.js";
import { slackCheck } from "./slack.js";

export const channelChecks: Check[] = [slackCheck, githubCheck];
