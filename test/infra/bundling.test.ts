import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { parsePolicyObject } from "../../core/policy.js";
import { readPolicyYaml } from "../../core/policy-yaml.js";
import { ESM_REQUIRE_BANNER, LAZY_PACKAGES, REPO_ROOT } from "../../infra/service/bundle-options.js";
import { buildTestApp, resourcesOf } from "../support/cdk.js";

// The one synth that really runs esbuild: ~15 s here, mostly CDK starting `npx esbuild` once per
// function (esbuild itself takes ~0.3 s each). Everything else skips bundling.
const outdir = mkdtempSync(join(tmpdir(), "greenlight-cdk-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("function bundles (local esbuild, no Docker)", () => {
  it("are minified ESM with the require banner, source maps, the pinned SDK inside and the policy as JSON", () => {
    const { greenlight, app } = buildTestApp(
      { "aws:cdk:bundling-stacks": ["Greenlight"] },
      { bundle: true, outdir },
    );
    app.synth();
    const functions = resourcesOf(Template.fromStack(greenlight), "AWS::Lambda::Function");
    expect(functions).toHaveLength(4);
    const policy = readPolicyYaml(readFileSync(join(REPO_ROOT, "greenlight.yml"), "utf8"));
    for (const [name, fn] of functions) {
      const key = String((fn.Code as { S3Key: unknown }).S3Key);
      const asset = join(outdir, `asset.${key.replace(/\.zip$/, "")}`);
      const code = readFileSync(join(asset, "index.mjs"), "utf8");
      expect(code.startsWith(ESM_REQUIRE_BANNER), name).toBe(true);
      expect(code, name).toMatch(/export\s*{[^}]*as handler/);
      expect(existsSync(join(asset, "index.mjs.map")), name).toBe(true);
      // The validated greenlight.yml as JSON: the same policy, and no YAML parser in the bundle.
      const shipped: unknown = JSON.parse(readFileSync(join(asset, "greenlight.json"), "utf8"));
      expect(shipped, name).toEqual(policy.data);
      expect(parsePolicyObject(shipped).rules, name).toEqual(policy.policy.rules);
      expect(existsSync(join(asset, "greenlight.yml")), name).toBe(false);
      // Probot is imported on first use from its own file beside the handler, not parsed at every start.
      if (/Http|Sync/.test(name)) expect(code.includes('import("probot")'), name).toBe(true);
      const probot = join(asset, "node_modules", "probot", "index.mjs");
      const exported = execFileSync(process.execPath, [
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(pathToFileURL(probot).href)}); console.log(Object.keys(m).sort().join())`,
      ]);
      expect(String(exported).trim(), name).toBe(LAZY_PACKAGES.probot.join());
      // Bundled, not left to the runtime's copy: no import of an @aws-sdk package survives.
      expect(code, name).not.toMatch(/from\s*"@aws-sdk\//);
      // Minified: long lines (unminified esbuild output averages well under 60 characters a line).
      expect(code.length / code.split("\n").length, `${name} is minified`).toBeGreaterThan(200);
    }
  }, 120_000);
});
