import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // The developer's Slack, GitHub and AWS settings never reach a test (test/support/hermetic.ts).
    setupFiles: ["test/support/hermetic.ts"],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    coverage: {
      provider: "v8",
      include: [
        "core/**/*.ts",
        "bot/**/*.ts",
        "lambdas/**/*.ts",
        "local/**/*.ts",
        "infra/**/*.ts",
        "cli/**/*.ts",
      ],
      exclude: ["test/**", "bench/**", "**/*.d.ts"],
      reporter: ["text-summary"],
      // Measured 2026-12-02: lines 94.1 %, branches 81.6 %, statements 91.0 %, functions 92.5 %.
      // Set a little below; the target is lines 95 %, branches 85 %.
      thresholds: { lines: 93, branches: 80, statements: 90, functions: 91 },
    },
  },
});
