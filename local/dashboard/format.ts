import { html, type SafeHtml } from "../../bot/email/html.js";

const TONE: Record<string, string> = {
  Succeeded: "ok",
  approved: "ok",
  succeeded: "ok",
  InProgress: "run",
  pending: "run",
  deciding: "run",
  deploying: "run",
  Failed: "bad",
  rejected: "bad",
  failed: "bad",
  expired: "muted",
  Abandoned: "muted",
  Superseded: "muted",
  Stopped: "muted",
  "closed-elsewhere": "muted",
};

/** The approval record's and CodePipeline's states in words ("closed-elsewhere" → "Closed elsewhere"). */
const LABEL: Record<string, string> = {
  InProgress: "In progress",
  pending: "Waiting",
  deciding: "Telling CodePipeline",
  approved: "Approved",
  rejected: "Rejected",
  expired: "Expired",
  "closed-elsewhere": "Closed elsewhere",
  deploying: "Deploying",
  succeeded: "Succeeded",
  failed: "Failed",
};

/** A coloured state label; `data-state` keeps the code for scripts and tests. */
export function badge(state: string | undefined): SafeHtml {
  if (!state) return html`<span class="badge none">—</span>`;
  return html`<span class="badge ${TONE[state] ?? "muted"}" data-state="${state}">${LABEL[state] ?? state}</span>`;
}

/** "20:22:05" in UTC: the dashboard shows what happened in the last minutes. */
export function clock(at: string | undefined): string {
  return at ? `${at.slice(11, 19)}` : "";
}

export const shortId = (id: string) => id.slice(0, 8);

/** The commit message inside a CodeConnections revision summary (JSON), or the summary itself. */
export function commitMessage(summary: string | undefined): string {
  if (!summary) return "";
  try {
    const parsed: unknown = JSON.parse(summary);
    if (parsed && typeof parsed === "object" && "CommitMessage" in parsed) {
      return typeof parsed.CommitMessage === "string" ? parsed.CommitMessage : summary;
    }
  } catch {
    // Not JSON: CodeCommit and S3 sources give plain text.
  }
  return summary;
}

/** A JSON error with the status, for the local API. */
export function problem(message: string) {
  return { error: message };
}

/** A request's JSON body: `{}` when empty, undefined when it is not JSON. */
export async function jsonBody(req: { text(): Promise<string> }): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
