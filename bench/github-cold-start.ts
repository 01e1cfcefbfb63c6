// What a cold start of the HTTP function costs with the GitHub App configured, measured the way
// Lambda runs it: lambdas/http.ts bundled by esbuild (ESM, as infra/ does), loaded in a fresh
// `node` process. Run: `npx tsx bench/github-cold-start.ts` (prints figures; asserts nothing).
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const RUNS = 5;
const dir = mkdtempSync(join(tmpdir(), "greenlight-bench-"));
const bundle = join(dir, "http.mjs");
await build({
  entryPoints: ["lambdas/http.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  outfile: bundle,
  banner: { js: "import { createRequire } from 'module';const require = createRequire(import.meta.url);" },
  logLevel: "silent",
});

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const secret = "bench-webhook-secret-0123456789";
const base: NodeJS.ProcessEnv = {
  ...process.env,
  GREENLIGHT_TABLE: "bench-table",
  AWS_REGION: "us-east-2",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  LOG_LEVEL: "error",
};
const github = {
  GREENLIGHT_GITHUB_APP_ID: "1",
  GREENLIGHT_GITHUB_PRIVATE_KEY: privateKey,
  GREENLIGHT_GITHUB_WEBHOOK_SECRET: secret,
};

// The probe: load the bundle (init), then two signed `ping` deliveries through the real handler.
const probe = join(dir, "probe.mjs");
writeFileSync(
  probe,
  `import { createHmac } from "node:crypto";
const t0 = performance.now();
const { handler } = await import(${JSON.stringify(bundle)});
const init = performance.now() - t0;
const body = JSON.stringify({ zen: "Keep it logically awesome." });
const event = () => ({
  version: "2.0", rawPath: "/github/webhooks", rawQueryString: "", isBase64Encoded: false, body,
  headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": crypto.randomUUID(),
    "x-hub-signature-256": "sha256=" + createHmac("sha256", process.env.GREENLIGHT_GITHUB_WEBHOOK_SECRET ?? "x").update(body).digest("hex") },
  requestContext: { http: { method: "POST", path: "/github/webhooks", sourceIp: "127.0.0.1" }, domainName: "bench" },
});
let first = 0, second = 0, status = 0;
if (process.env.GREENLIGHT_GITHUB_APP_ID) {
  let t = performance.now(); status = (await handler(event(), {})).statusCode; first = performance.now() - t;
  t = performance.now(); await handler(event(), {}); second = performance.now() - t;
}
console.log(JSON.stringify({ init, first, second, status }));
`,
);

function measure(env: NodeJS.ProcessEnv) {
  const runs = Array.from({ length: RUNS }, () =>
    JSON.parse(
      execFileSync(process.execPath, [probe], { env, encoding: "utf8" }).trim().split("\n").at(-1) ?? "{}",
    ),
  );
  const median = (key: string) => {
    const xs = runs.map((r) => Number(r[key])).sort((a, b) => a - b);
    return Math.round(xs[Math.floor(xs.length / 2)] ?? 0);
  };
  return { init: median("init"), first: median("first"), second: median("second"), status: runs[0]?.status };
}

const without = measure(base);
const withGitHub = measure({ ...base, ...github });
console.log(`HTTP function bundle, fresh node process, median of ${RUNS}:`);
console.log(`  module init, GitHub not configured: ${without.init} ms`);
console.log(`  module init, GitHub configured:     ${withGitHub.init} ms (Probot is not loaded yet)`);
console.log(`  first signed webhook (loads Probot): ${withGitHub.first} ms → HTTP ${withGitHub.status}`);
console.log(`  second signed webhook:               ${withGitHub.second} ms`);
