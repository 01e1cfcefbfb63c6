// Baseline only, never shipped: the HTTP handler with Bolt (its index, which loads express) and
// Probot imported at init, the way most Slack and GitHub bots load them.
import * as bolt from "@slack/bolt";
import * as probot from "probot";

export { handler } from "../../lambdas/http.js";

// Referenced, so the bundler evaluates both packages at load as an eager import would.
Reflect.set(globalThis, "__greenlightEager", [bolt.App, probot.Probot]);
