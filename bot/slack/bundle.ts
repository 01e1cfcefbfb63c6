import { join } from "node:path";

/**
 * Packages that `@slack/bolt/dist/App.js` requires at load time for its own HTTP and Socket Mode
 * receivers and OAuth installer, none of which run on Lambda: Greenlight hands Bolt verified
 * payloads through its own receiver. Together they are over a megabyte of the HTTP bundle
 * (undici via @slack/socket-mode, iconv-lite via raw-body), parsed on every cold start. Each is
 * only used inside constructors and functions, never at module load, so an empty module can stand
 * in for it in the Lambda bundles (`npm run bench`: its eager baseline keeps them, for comparison).
 */
export const BOLT_UNUSED_PACKAGES = ["@slack/oauth", "@slack/socket-mode", "raw-body"] as const;

/** esbuild `alias` for the Lambda bundles; `repoRoot` is where package.json lives. */
export function boltBundleAliases(repoRoot: string): Record<string, string> {
  const empty = join(repoRoot, "bot", "slack", "empty-module.cjs");
  return Object.fromEntries(BOLT_UNUSED_PACKAGES.map((name) => [name, empty]));
}
