// The Slack path's cold start, measured the way Lambda runs it: lambdas/http.ts bundled by esbuild
// (ESM, as infra/ does) and loaded in a fresh `node` process, which then handles one signed
// "Approve" click end to end (verify → Bolt → decide against dynalite and the CodePipeline
// simulator) until the ack. Median of 20, next to a bare `node` start.
// Run: `npx tsx bench/slack-cold-start.ts` (prints figures; asserts nothing).
import { execFile } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { build } from "esbuild";
import { boltBundleAliases } from "../bot/slack/bundle.js";
import { SlackChannel } from "../bot/slack/channel.js";
import { slackWebClient } from "../bot/slack/web.js";
import { openApproval } from "../core/open.js";
import { parsePolicyObject } from "../core/policy.js";
import { ensureApprovalsTable } from "../lambdas/aws/approvals-table.js";
import { CodePipelineAdapter } from "../lambdas/aws/codepipeline.js";
import { DynamoApprovalStore } from "../lambdas/aws/dynamodb-store.js";
import { createLogger } from "../lambdas/log.js";
import { CodePipelineSimulator } from "../local/codepipeline/simulator.js";
import { startLocalDynamo } from "../local/dynamo/server.js";
import { SlackStandIn } from "../local/slack/server.js";

const RUNS = 20;
const dir = mkdtempSync(join(tmpdir(), "greenlight-slack-bench-"));
const bundle = (entry: string, name: string, alias: Record<string, string> = {}) =>
  build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    outfile: join(dir, name),
    banner: { js: "import { createRequire } from 'module';const require = createRequire(import.meta.url);" },
    alias,
    logLevel: "silent",
  });
await bundle("lambdas/http.ts", "http.mjs");
await bundle("lambdas/http.ts", "http-lean.mjs", boltBundleAliases(process.cwd()));
await bundle("bot/slack/routes.ts", "slack-routes.mjs");
const size = (name: string) => `${(statSync(join(dir, name)).size / 1_048_576).toFixed(1)} MB`;

// The world the function talks to: dynalite, the CodePipeline simulator, the Slack stand-in.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
const dynamo = await startLocalDynamo();
const sim = await CodePipelineSimulator.start();
sim.definePipeline({ name: "shop-web", stages: [{ name: "Approve", actions: ["Go"] }] });
const slack = await SlackStandIn.start();
slack.addUser("U0MARIA01", "maria");
const dynamoClient = new DynamoDBClient({ endpoint: dynamo.url, region: "us-east-2", credentials });
await ensureApprovalsTable(dynamoClient, "bench-approvals");
const store = new DynamoApprovalStore({ tableName: "bench-approvals", client: dynamoClient });
const pipeline = new CodePipelineAdapter(
  new CodePipelineClient({ endpoint: sim.url, region: "us-east-2", credentials }),
);
const policy = parsePolicyObject({
  version: 1,
  rules: [{ match: {}, slack: { channel: "C0DEPLOYS1", approvers: { users: ["U0MARIA01"] } } }],
});
const log = createLogger({ level: "silent" });
const client = slackWebClient(slack.botToken, log, slack.apiUrl);
const channel = new SlackChannel({
  store,
  clock: { now: () => new Date() },
  log,
  client: async () => client,
});

/** One waiting approval with its Slack message, and the signed click on its Approve button. */
async function clickEvent(): Promise<string> {
  const { token } = sim.startApproval({ pipeline: "shop-web", stage: "Approve", action: "Go" });
  const request = {
    region: "us-east-2",
    pipeline: "shop-web",
    stage: "Approve",
    action: "Go",
    token,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  };
  const { approval } = await openApproval(
    { store, pipeline, clock: { now: () => new Date() }, policy },
    request,
  );
  await channel.sync(approval);
  const message = slack.messages("C0DEPLOYS1").at(-1);
  if (!message) throw new Error("no message posted");
  const signed = slack.click({
    user: { id: "U0MARIA01", name: "maria" },
    message,
    actionId: "greenlight_approve",
  });
  return JSON.stringify({
    version: "2.0",
    rawPath: "/slack/events",
    rawQueryString: "",
    isBase64Encoded: false,
    body: signed.body,
    headers: signed.headers,
    requestContext: {
      http: { method: "POST", path: "/slack/events", sourceIp: "127.0.0.1" },
      domainName: "bench",
    },
  });
}

// The probe: `performance.now()` counts from the process's start, so "ack" is process start → ack.
const probe = join(dir, "probe.mjs");
writeFileSync(
  probe,
  `const started = performance.now();
const { handler } = await import(${JSON.stringify(`${dir}/`)} + (process.env.BENCH_BUNDLE ?? "http.mjs"));
const loaded = performance.now();
const result = process.env.BENCH_EVENT ? await handler(JSON.parse(process.env.BENCH_EVENT), {}) : {};
console.log(JSON.stringify({ started, loaded, ack: performance.now(), status: result.statusCode }));`,
);
const routesProbe = join(dir, "routes-probe.mjs");
writeFileSync(
  routesProbe,
  `const t = performance.now(); await import(${JSON.stringify(join(dir, "slack-routes.mjs"))});
console.log(JSON.stringify({ started: t, loaded: performance.now() }));`,
);

const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  GREENLIGHT_TABLE: "bench-approvals",
  AWS_REGION: "us-east-2",
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
  AWS_ENDPOINT_URL_CODEPIPELINE: sim.url,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  LOG_LEVEL: "error",
  SLACK_SIGNING_SECRET: slack.signingSecret,
  SLACK_BOT_TOKEN: slack.botToken,
  SLACK_APP_ID: slack.workspace.identity.appId,
  SLACK_TEAM_ID: slack.workspace.identity.teamId,
  GREENLIGHT_SLACK_API_URL: slack.apiUrl,
};

type Sample = Record<string, number>;
// Asynchronous: the servers the child talks to live in this process, so it must not block.
const exec = promisify(execFile);
async function run(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Sample> {
  const t0 = performance.now();
  const { stdout: out } = await exec(process.execPath, args, { env: { ...env, ...extra }, encoding: "utf8" });
  const wall = performance.now() - t0;
  return { ...JSON.parse(out.trim().split("\n").at(-1) || "{}"), wall };
}
const median = (samples: Sample[], key: string) => {
  const xs = samples.map((s) => s[key] ?? Number.NaN).sort((a, b) => a - b);
  return Math.round(((xs[(xs.length - 1) >> 1] ?? 0) + (xs[xs.length >> 1] ?? 0)) / 2);
};

// One warm-up each (disk cache), then the measured runs.
await run(["-e", "0"]);
await run([routesProbe]);
const bare: Sample[] = [];
const routes: Sample[] = [];
for (let i = 0; i < RUNS; i++)
  bare.push(await run(["-e", "console.log(JSON.stringify({ started: performance.now() }))"]));
for (let i = 0; i < RUNS; i++) routes.push(await run([routesProbe]));

/** A warm-up, then RUNS fresh processes that each load the bundle and handle one click. */
async function clicks(bundleName: string): Promise<Sample[]> {
  await run([probe], { BENCH_BUNDLE: bundleName, BENCH_EVENT: await clickEvent() });
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++)
    samples.push(await run([probe], { BENCH_BUNDLE: bundleName, BENCH_EVENT: await clickEvent() }));
  return samples;
}
const asToday = await clicks("http.mjs");
const lean = await clicks("http-lean.mjs");
const statuses = [...new Set([...asToday, ...lean].map((c) => c.status))];
const decided = sim.calls.filter((c) => c.operation === "PutApprovalResult" && c.outcome === "ok").length;

console.log(`Fresh node process, median of ${RUNS} (Node ${process.version}):`);
console.log(
  `  bare node: first statement at ${median(bare, "started")} ms, process wall ${median(bare, "wall")} ms`,
);
console.log(
  `  bot/slack/routes.ts bundle: import ${median(routes, "loaded") - median(routes, "started")} ms`,
);
for (const [label, samples, name] of [
  ["HTTP bundle as bundled today", asToday, "http.mjs"],
  ["HTTP bundle, Bolt's unused receivers aliased out (bot/slack/bundle.ts)", lean, "http-lean.mjs"],
] as const) {
  console.log(`  ${label} (${size(name)}):`);
  console.log(`    imported at ${median(samples, "loaded")} ms after process start`);
  console.log(`    "Approve" click → ack at ${median(samples, "ack")} ms after process start (target ≤ 300)`);
  console.log(`    process wall ${median(samples, "wall")} ms (spawn → exit)`);
}
console.log(`  HTTP status ${statuses.join(", ")}; PutApprovalResult ok: ${decided} of ${2 * (RUNS + 1)}`);

await slack.close();
await sim.close();
await dynamo.close();
dynamoClient.destroy();
