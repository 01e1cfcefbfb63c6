// `greenlight audit`: every decision in a period, as CSV or JSON lines, for a change-management
// audit. Reads the approvals table's sparse `decided` index (one Query per month of the period,
// lambdas/aws/approvals-table.ts says why), page by page, writing each row as it arrives: memory
// stays flat however long the period (bench/audit.ts).
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, paginateQuery } from "@aws-sdk/lib-dynamodb";
import type { Actor, Approval } from "../core/approval.js";
import { neutral, neutralLine } from "../core/untrusted.js";
import { APPROVALS_TABLE as T } from "../lambdas/aws/approvals-table.js";
import { decidedAtOf } from "../lambdas/aws/dynamodb-store.js";
import { type CliIo, type Command, EXIT } from "./io.js";
import { connect, splitLocalFlag, TARGET_OPTIONS, TARGET_USAGE, type Target } from "./target.js";

export const AUDIT_COLUMNS = [
  "approval_id",
  "pipeline",
  "stage",
  "action",
  "execution_id",
  "commit",
  "pull_requests",
  "outcome",
  "verdict",
  "decided_by",
  "channel",
  "identity",
  "approvers",
  "comment",
  "decided_at",
  "closed_reason",
  "deploy_state",
  "deploy_at",
] as const;

export type AuditRow = Record<(typeof AUDIT_COLUMNS)[number], string>;

const USAGE = `Usage: greenlight audit --since DATE [--until DATE] [--pipeline NAME] [--format csv|jsonl] [--out FILE]
       [--local [URL] | --stack NAME --region REGION]

Every approval decided or closed in the period, one row each, oldest first: the evidence a
change-management audit asks for (who approved which change, when, from where, and whether
production then deployed).

Rows: approvals a person approved or rejected (verdict, who, channel, identity, comment; approvers
lists every approval that counted towards quorum), and approvals that closed without a human
decision (outcome "expired", or "closed-elsewhere" with closed_reason console, superseded,
already-completed, invalid-token or pipeline-not-found; verdict and who are empty). Approvals
still waiting do not appear. "outcome" is "deciding" when the decision is recorded but CodePipeline
has not yet accepted it.

  --since DATE      start of the period, inclusive: YYYY-MM-DD (00:00 UTC) or an ISO 8601 instant
  --until DATE      end of the period, exclusive; a YYYY-MM-DD date includes that whole day (default: now)
  --pipeline NAME   only this pipeline (default: all)
  --format FORMAT   csv (default; RFC 4180, one header row, UTF-8) or jsonl (one JSON object a line)
  --out FILE        write there (default: standard output)
${TARGET_USAGE}

Times are ISO 8601 UTC. Names, titles and comments are untrusted text: control and invisible
characters are neutralised, and in CSV a cell starting with = + - @ tab or CR gets a leading
apostrophe so a spreadsheet does not run it as a formula (every cell, ids and pipeline names
included: an approval id may start with "-"; strip one leading apostrophe to get the value back).
Approvals decided before the decided index was deployed carry no index key until they next change.`;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A command-line date → an instant, or why not. `end`: a bare date means the end of that day. */
export function parseDate(text: string, end = false): Date | string {
  if (DATE_ONLY.test(text)) {
    const d = new Date(`${text}T00:00:00.000Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) return `no such date "${text}"`;
    return end ? new Date(d.getTime() + 86_400_000) : d;
  }
  if (INSTANT.test(text)) {
    const d = new Date(text);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return `"${text}" is not a date: use YYYY-MM-DD or an ISO 8601 instant such as 2026-12-01T09:30:00Z`;
}

/** The month partitions (`decided#YYYY-MM`) the period [since, until) touches. */
export function monthsOf(since: Date, until: Date): string[] {
  const months: string[] = [];
  let y = since.getUTCFullYear();
  let m = since.getUTCMonth();
  const last = new Date(until.getTime() - 1);
  while (y < last.getUTCFullYear() || (y === last.getUTCFullYear() && m <= last.getUTCMonth())) {
    months.push(`decided#${y}-${String(m + 1).padStart(2, "0")}`);
    m += 1;
    if (m === 12) {
      m = 0;
      y += 1;
    }
  }
  return months;
}

export interface AuditQuery {
  tableName: string;
  since: Date;
  until: Date;
  pipeline?: string;
  /** Items per Query page (DynamoDB also stops a page at 1 MB). */
  pageSize?: number;
}

/** The period's records, oldest first, one Query page at a time. */
export async function* decidedApprovals(client: DynamoDBClient, q: AuditQuery): AsyncGenerator<Approval> {
  const doc = DynamoDBDocumentClient.from(client);
  const sinceIso = q.since.toISOString();
  const untilIso = q.until.toISOString();
  for (const month of monthsOf(q.since, q.until)) {
    const pages = paginateQuery(
      { client: doc, pageSize: q.pageSize ?? 250 },
      {
        TableName: q.tableName,
        IndexName: T.decided.indexName,
        // BETWEEN is inclusive; the instant `until` itself is dropped below.
        KeyConditionExpression: "#month = :month AND #at BETWEEN :since AND :until",
        ...(q.pipeline ? { FilterExpression: "#request.#pipeline = :pipeline" } : {}),
        ExpressionAttributeNames: {
          "#month": T.decided.partitionKey,
          "#at": T.decided.sortKey,
          ...(q.pipeline ? { "#request": "request", "#pipeline": "pipeline" } : {}),
        },
        ExpressionAttributeValues: {
          ":month": month,
          ":since": sinceIso,
          ":until": untilIso,
          ...(q.pipeline ? { ":pipeline": q.pipeline } : {}),
        },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if (item[T.decided.sortKey] === untilIso) continue;
        yield item as Approval;
      }
    }
  }
}

function identity(actor: Actor): string {
  if (actor.channel === "email") return neutralLine(actor.id);
  return `${actor.channel}:${neutralLine(actor.id)}`;
}

/** One record → one row; untrusted text neutralised (but not yet CSV-defended). */
export function auditRow(a: Approval): AuditRow {
  const by = a.decision?.by;
  const release = a.context.release;
  const pulls = (release?.pulls ?? []).map((p) => `#${p.number} ${neutralLine(p.title)}`);
  if (release?.morePulls) pulls.push(`and ${release.morePulls} more`);
  if (pulls.length === 0 && a.context.pullRequest) pulls.push(`#${a.context.pullRequest.number}`);
  return {
    approval_id: a.id,
    pipeline: a.request.pipeline,
    stage: a.request.stage,
    action: a.request.action,
    execution_id: a.context.executionId ?? "",
    commit: a.context.commit?.sha ?? "",
    pull_requests: pulls.join("; "),
    outcome: a.state,
    verdict: a.decision?.verdict ?? "",
    decided_by: by ? neutralLine(by.actor.name ?? by.actor.id) : "",
    channel: by?.actor.channel ?? "",
    identity: by ? identity(by.actor) : "",
    approvers: (a.decision?.approvals ?? []).map((v) => identity(v.actor)).join("; "),
    comment: by?.comment ? neutral(by.comment) : "",
    decided_at: decidedAtOf(a) ?? "",
    closed_reason: a.closedReason ?? "",
    deploy_state: a.deployment?.state ?? "",
    deploy_at: a.deployment?.at ?? "",
  };
}

/**
 * One CSV field: RFC 4180 quoting (a field with a comma, quote, CR or LF is quoted, quotes
 * doubled), after OWASP's CSV injection defence: a cell starting with = + - @ tab or CR gets a
 * leading apostrophe so spreadsheets show it as text
 * (https://owasp.org/www-community/attacks/CSV_Injection).
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

export type AuditFormat = "csv" | "jsonl";

/** Stream the period to `sink`, waiting for it to drain when it asks; returns the row count. */
export async function exportAudit(
  client: DynamoDBClient,
  q: AuditQuery,
  format: AuditFormat,
  sink: Writable,
): Promise<number> {
  const write = async (chunk: string) => {
    if (!sink.write(chunk, "utf8")) await once(sink, "drain");
  };
  if (format === "csv") await write(csvLine(AUDIT_COLUMNS));
  let rows = 0;
  for await (const approval of decidedApprovals(client, q)) {
    const row = auditRow(approval);
    await write(format === "csv" ? csvLine(AUDIT_COLUMNS.map((c) => row[c])) : `${JSON.stringify(row)}\n`);
    rows += 1;
  }
  return rows;
}

function dynamoFor(target: Target): DynamoDBClient {
  const config = target.client("dynamodb");
  if (!config) throw new Error(`${target.where} has no DynamoDB endpoint`);
  return new DynamoDBClient(config);
}

export const audit: Command = {
  name: "audit",
  summary: "every decision in a period, as CSV or JSON lines (change-management evidence)",
  usage: USAGE,
  run: async (argv: string[], io: CliIo) => {
    let values: Record<string, string | undefined>;
    try {
      ({ values } = parseArgs({
        args: splitLocalFlag(argv),
        options: {
          ...TARGET_OPTIONS,
          since: { type: "string" },
          until: { type: "string" },
          pipeline: { type: "string" },
          format: { type: "string", default: "csv" },
          out: { type: "string" },
        },
        strict: true,
        allowPositionals: false,
      }) as { values: Record<string, string | undefined> });
    } catch (e: unknown) {
      io.err(`greenlight audit: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
      return EXIT.usage;
    }
    const usageError = (message: string) => {
      io.err(`greenlight audit: ${message} (greenlight audit --help)`);
      return EXIT.usage;
    };
    if (!values.since) return usageError("--since DATE is required");
    const since = parseDate(values.since);
    if (typeof since === "string") return usageError(`--since: ${since}`);
    const until = values.until ? parseDate(values.until, true) : new Date();
    if (typeof until === "string") return usageError(`--until: ${until}`);
    if (until.getTime() <= since.getTime())
      return usageError(`--until (${until.toISOString()}) must be after --since (${since.toISOString()})`);
    const format = values.format;
    if (format !== "csv" && format !== "jsonl")
      return usageError(`--format must be csv or jsonl, not "${format}"`);

    const target = await connect(values, io.env);
    const client = dynamoFor(target);
    const sink: Writable = values.out ? createWriteStream(values.out) : process.stdout;
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: target.outputs.TableName }));
      if (!Table?.GlobalSecondaryIndexes?.some((i) => i.IndexName === T.decided.indexName)) {
        io.err(
          `greenlight audit: table ${target.outputs.TableName} has no "${T.decided.indexName}" index. ` +
            (target.kind === "local"
              ? "It was created before the index existed, and dynalite cannot add an index to a table: start npm start with a fresh data dir."
              : "Deploy the current service stack first (cdk deploy)."),
        );
        return EXIT.problem;
      }
      const rows = await exportAudit(
        client,
        {
          tableName: target.outputs.TableName,
          since,
          until,
          ...(values.pipeline ? { pipeline: values.pipeline } : {}),
        },
        format,
        sink,
      );
      io.err(
        `${rows} row${rows === 1 ? "" : "s"} from ${target.where}, ${since.toISOString()} to ${until.toISOString()}` +
          (values.out ? ` → ${values.out}` : ""),
      );
      return EXIT.ok;
    } finally {
      client.destroy();
      if (values.out) {
        sink.end();
        await once(sink, "finish");
      }
    }
  },
};
