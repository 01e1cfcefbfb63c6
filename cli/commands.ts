// The `greenlight` commands. Each lives in its own module; add one line here per command.
import { audit } from "./audit.js";
import { doctor } from "./doctor.js";
import { githubApp } from "./github-app.js";
import type { Command } from "./io.js";
import { slackApp } from "./slack-app.js";

export const commands: Command[] = [doctor, audit, githubApp, slackApp];
