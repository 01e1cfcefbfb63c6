import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { ESM_REQUIRE_BANNER, REPO_ROOT } from "../../infra/service/greenlight-function.js";
import { buildTestApp, resourcesOf } from "../support/cdk.js";

// The one synth that really runs esbuild: ~15 s here, mostly CDK starting `npx esbuild` once per
// function (esbuild itself takes ~0.3 s each). Everything else skips bundling.
const outdir = mkdtempSync(join(tmpdir(), "greenlight-cdk-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("function bundles (local esbuild, no Docker)", () => {
  it("are minified ESM with the require banner, source maps, the pinned SDK inside and greenlight.yml", () => {
    const { greenlight, app } = buildTestApp(
      { "aws:cdk:bundling-stacks": ["Greenlight"] },
      { bundle: true, outdir },
    );
    app.synth();
    const functions = resourcesOf(Template.fromStack(greenlight), "AWS::Lambda::Function");
    expect(functions).toHaveLength(4);
    const policy = readFileSync(join(REPO_ROOT, "greenlight.yml"), "utf8");
    for (const [name, fn] of functions) {
      const key = String((fn.Code as { S3Key: unknown }).S3Key);
      const asset = join(outdir, `asset.${key.replace(/\.zip$/, "")}`);
      const code = readFileSync(join(asset, "index.mjs"), "utf8");
      expect(code.startsWith(ESM_REQUIRE_BANNER), name).toBe(true);
      expect(code, name).toMatch(/export\s*{[^}]*as handler/);
      expect(existsSync(join(asset, "index.mjs.map")), name).toBe(true);
      expect(readFileSync(join(asset, "greenlight.yml"), "utf8"), name).toBe(policy);
      // Bundled, not left to the runtime's copy: no import of an @aws-sdk package survives.
      expect(code, name).not.toMatch(/from\s*"@aws-sdk\//);
      // Minified: long lines (unminified esbuild output averages well under 60 characters a line).
      expect(code.length / code.split("\n").length, `${name} is minified`).toBeGreaterThan(200);
    }
  }, 120_000);
});
