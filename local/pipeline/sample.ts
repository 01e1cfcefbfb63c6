import type { Random } from "../../core/ports.js";
import type { PipelineDefinition, Revision } from "../codepipeline/simulator.js";

/** The pipeline `npm start` runs: what a small web shop's delivery pipeline looks like. */
export const SHOP_WEB: PipelineDefinition = {
  name: "shop-web",
  stages: [
    { name: "Source", actions: [{ name: "Source", category: "Source" }] },
    { name: "Build", actions: [{ name: "BuildAndTest", category: "Build" }] },
    { name: "Staging", actions: [{ name: "DeployStaging", category: "Deploy" }] },
    { name: "Approval", actions: ["StakeholderApproval"] },
    { name: "Production", actions: [{ name: "DeployProduction", category: "Deploy" }] },
  ],
};

/**
 * How long each stage takes at time scale 1: shorter than a real CodeBuild run, long enough to
 * watch a run move on the dashboard. Tests scale them down.
 */
export const STAGE_MS: Record<string, number> = {
  Source: 2_000,
  Build: 15_000,
  Staging: 8_000,
  Production: 12_000,
};
/** The pause between one stage ending and the next starting. */
export const TRANSITION_MS = 1_000;

const REPOSITORY = "acme/shop-web";

// Squash-merge titles, as GitHub writes them: the "(#N)" is how Greenlight finds the pull request.
const CHANGES = [
  "Add express checkout (#42)",
  "Show delivery dates on the basket page (#43)",
  "Fix rounding of discounted totals (#44)",
  "Speed up product search with a prefix index (#45)",
];

/**
 * The revision URL CodePipeline's GitHub (CodeConnections) source really reports: a console
 * redirect with the repository and commit as query parameters, not a github.com URL.
 */
export function connectionsRevisionUrl(repository: string, commit: string, region = "us-east-2"): string {
  const query = new URLSearchParams({
    connectionArn: `arn:aws:codeconnections:${region}:111122223333:connection/5e2c8a4d-7b1f-4c3e-9a6d-2f8b0c1e4d7a`,
    referenceType: "COMMIT",
    FullRepositoryId: repository,
    Commit: commit,
  });
  return `https://${region}.console.aws.amazon.com/codesuite/settings/connections/redirect?${query}`;
}

/**
 * The source revision of the n-th run as GetPipelineExecution gives it for a CodeConnections
 * (GitHub) source: a commit sha, the revision summary (JSON), and the console redirect URL.
 */
export function sampleRevision(n: number, random: Random): Revision {
  const message = CHANGES[n % CHANGES.length] ?? "Update dependencies";
  const commit = Buffer.from(random.bytes(20)).toString("hex");
  return {
    commit,
    summary: JSON.stringify({ ProviderType: "GitHub", CommitMessage: message }),
    url: connectionsRevisionUrl(REPOSITORY, commit),
  };
}

/** What the approval action is configured with: the staging URL to review, and its notes. */
export function approvalConfig(publicUrl: string, pipeline: string, executionId: string) {
  return {
    externalEntityLink: `${publicUrl}/local/staging/${encodeURIComponent(pipeline)}/${executionId}`,
    customData: "Check the checkout on staging: totals, delivery dates and the express button.",
  };
}
