// Loaded before every test file (vitest `setupFiles`): the tests run against this machine's
// stand-ins only, whatever the developer has exported. Without it, a shell with SLACK_BOT_TOKEN and
// SLACK_APP_TOKEN, GREENLIGHT_GITHUB_* or an AWS profile would point `npm start`-style tests at a
// real Slack workspace, GitHub App or AWS account (lambdas/config-slack.ts, config-github.ts and the
// SDK's default credential chain read them).
//
// The variables are removed from this worker's environment (and so from every child process a
// test spawns with `...process.env`). Removing, not stubbing: `vi.unstubAllEnvs()` in a test
// restores what it stubbed to the values seen at stub time, which are then already gone.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OUTSIDE_VARIABLES } from "./outside-variables.js";

for (const name of OUTSIDE_VARIABLES) delete process.env[name];
for (const name of Object.keys(process.env))
  if (name.startsWith("AWS_ENDPOINT_URL_")) delete process.env[name];
// No shared config or credentials file, no instance metadata: an SDK client a test forgot to
// point at a stand-in fails at once instead of finding the developer's account.
const nowhere = join(tmpdir(), "greenlight-tests-no-aws-config");
process.env.AWS_CONFIG_FILE = nowhere;
process.env.AWS_SHARED_CREDENTIALS_FILE = nowhere;
process.env.AWS_EC2_METADATA_DISABLED = "true";
