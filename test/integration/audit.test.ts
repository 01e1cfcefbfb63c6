import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_COLUMNS, audit } from "../../cli/audit.js";
import type { Approval } from "../../core/approval.js";
import { castVote, closeElsewhere, markDelivered, markExpired } from "../../core/state-machine.js";
import { approvalsTableDefinition, ensureApprovalsTable } from "../../lambdas/aws/approvals-table.js";
import type { DynamoApprovalStore } from "../../lambdas/aws/dynamodb-store.js";
import { testApproval } from "../support/approvals.js";
import { dynamoClient, freshStore } from "../support/dynamo.js";

const HOSTILE = '=HYPERLINK("http://evil"),\n"ok"';

/** A tiny RFC 4180 reader (CRLF records, quoted fields with "" and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else {
      field += c;
    }
  }
  if (field || row.length) throw new Error("CSV does not end with CRLF");
  return rows;
}

async function decided(
  store: DynamoApprovalStore,
  i: number,
  pipeline: string,
  at: Date,
  comment?: string,
): Promise<Approval> {
  const a = testApproval({
    request: { pipeline, token: `tok-${i}` },
    context: {
      executionId: `exec-${i}`,
      commit: { sha: `c0ffee${i}` },
      release: { commits: 2, headPulls: [i], pulls: [{ number: i, title: `Fix, "thing" ${i}`, url: "u" }] },
    },
  });
  await store.create(a);
  const { approval: voted } = castVote(
    a,
    {
      principal: `github:dev${i}`,
      verdict: i % 10 === 0 ? "reject" : "approve",
      actor: { channel: "github", id: `dev${i}`, name: `Dev ${i}` },
      ...(comment ? { comment } : {}),
      at: at.toISOString(),
    },
    at,
  );
  const deciding = await store.update(voted);
  return store.update(markDelivered(deciding, new Date(at.getTime() + 1000)));
}

describe("greenlight audit on a local stack (dynalite, real SDK, --local URL)", () => {
  let setup: Awaited<ReturnType<typeof freshStore>>;
  let server: Server;
  let url: string;
  const start = Date.parse("2026-11-25T00:00:00Z");

  beforeAll(async () => {
    setup = await freshStore();
    const { store } = setup;
    // 1,000 decided in the period (700 shop-web, 300 shop-api), 20 before it, one hostile comment.
    const jobs: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < 1000; i++) {
      const at = new Date(start + i * 600_000); // every 10 minutes: 25 Nov → 2 Dec, two month partitions
      jobs.push(() =>
        decided(store, i, i % 10 < 7 ? "shop-web" : "shop-api", at, i === 5 ? HOSTILE : undefined),
      );
    }
    for (let i = 0; i < 20; i++)
      jobs.push(() => decided(store, 5000 + i, "shop-web", new Date("2026-10-10T10:00:00Z")));
    jobs.push(async () => {
      const a = testApproval({ request: { pipeline: "shop-web", token: "expired" } });
      await store.create(a);
      await store.update(markExpired(a, new Date("2026-11-30T12:00:00Z")));
    });
    jobs.push(async () => {
      const a = testApproval({ request: { pipeline: "shop-web", token: "superseded" } });
      await store.create(a);
      await store.update(closeElsewhere(a, "superseded", new Date("2026-11-30T13:00:00Z")));
    });
    jobs.push(() => store.create(testApproval({ request: { pipeline: "shop-web", token: "still-open" } })));
    for (let i = 0; i < jobs.length; i += 25) await Promise.all(jobs.slice(i, i + 25).map((j) => j()));

    const endpoint = await setup.client.config.endpoint?.();
    const description = {
      region: "us-east-2",
      outputs: { PublicUrl: "http://x", TableName: setup.tableName },
      endpoints: {
        dynamodb: `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}${endpoint?.path}`,
      },
      secrets: {},
    };
    server = createServer((_req, res) => res.end(JSON.stringify(description)));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const run = async (args: string[]) => {
    const out = join(tmpdir(), `audit-${randomUUID()}`);
    const err: string[] = [];
    const code = await audit.run(["--local", url, ...args, "--out", out], {
      out: () => {},
      err: (l) => err.push(l),
      env: {},
    });
    return { code, text: await readFile(out, "utf8"), err: err.join("\n") };
  };

  it("exports the period as CSV: header, 1,002 rows that parse back, hostile comment defused", async () => {
    const { code, text, err } = await run(["--since", "2026-11-01", "--until", "2026-12-31"]);
    expect(code).toBe(0);
    expect(err).toMatch(/^1002 rows/);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...AUDIT_COLUMNS]);
    expect(rows).toHaveLength(1002);
    const col = (name: string) => AUDIT_COLUMNS.indexOf(name as (typeof AUDIT_COLUMNS)[number]);
    const byId = new Map(rows.map((r) => [r[col("execution_id")], r]));
    const five = byId.get("exec-5");
    expect(five?.[col("comment")]).toBe(`'${HOSTILE}`);
    expect(five?.[col("pull_requests")]).toBe('#5 Fix, "thing" 5');
    expect(five?.[col("identity")]).toBe("github:dev5");
    expect(five?.[col("decided_at")]).toBe(new Date(start + 5 * 600_000).toISOString());
    expect(byId.get("exec-10")?.[col("verdict")]).toBe("reject");
    expect(rows.filter((r) => r[col("outcome")] === "expired")).toHaveLength(1);
    expect(rows.filter((r) => r[col("closed_reason")] === "superseded")).toHaveLength(1);
    const times = rows.map((r) => r[col("decided_at")] ?? "");
    expect(times.every((t) => t >= "2026-11-01" && t < "2027")).toBe(true);
  });

  it("exports the same rows as JSON lines, and only the pipeline and period asked for", async () => {
    const csv = parseCsv((await run(["--since", "2026-11-01", "--until", "2026-12-31"])).text).slice(1);
    const all = (await run(["--since", "2026-11-01", "--until", "2026-12-31", "--format", "jsonl"])).text;
    const lines = all
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines).toHaveLength(1002);
    const five = lines.find((l) => l.execution_id === "exec-5");
    expect(five?.comment).toBe(HOSTILE);
    // Every CSV cell is defended: an id starting with "-" carries the apostrophe.
    const defused = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
    expect(csv.map((r) => r[0]).sort()).toEqual(lines.map((l) => defused(l.approval_id ?? "")).sort());

    const api = await run([
      "--since",
      "2026-11-01",
      "--until",
      "2026-12-31",
      "--pipeline",
      "shop-api",
      "--format",
      "jsonl",
    ]);
    const apiRows = api.text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(apiRows).toHaveLength(300);
    expect(new Set(apiRows.map((r) => r.pipeline))).toEqual(new Set(["shop-api"]));

    // 25 Nov 00:00 + 10 min × i: the 26th of November holds i = 144 … 287.
    const day = await run(["--since", "2026-11-26", "--until", "2026-11-26"]);
    expect(parseCsv(day.text).slice(1)).toHaveLength(144);
    const october = await run(["--since", "2026-10-01", "--until", "2026-10-31"]);
    expect(parseCsv(october.text).slice(1)).toHaveLength(20);
  });
});

describe("greenlight audit on a table made before the decided index", () => {
  it("exits 1 and says why (dynalite cannot add the index to an existing table)", async () => {
    const client = dynamoClient();
    const tableName = `approvals-old-${randomUUID()}`;
    const old = approvalsTableDefinition(tableName);
    old.GlobalSecondaryIndexes = old.GlobalSecondaryIndexes?.filter((i) => i.IndexName !== "decided");
    old.AttributeDefinitions = old.AttributeDefinitions?.filter(
      (a) => !a.AttributeName?.startsWith("decided"),
    );
    await client.send(new CreateTableCommand(old));
    await ensureApprovalsTable(client, tableName);
    const endpoint = await client.config.endpoint?.();
    const description = {
      region: "us-east-2",
      outputs: { PublicUrl: "http://x", TableName: tableName },
      endpoints: {
        dynamodb: `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}${endpoint?.path}`,
      },
      secrets: {},
    };
    const server = createServer((_req, res) => res.end(JSON.stringify(description)));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const err: string[] = [];
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const code = await audit.run(["--local", url, "--since", "2026-11-01"], {
        out: () => {},
        err: (l) => err.push(l),
        env: {},
      });
      expect(code).toBe(1);
      expect(err.join("\n")).toMatch(/has no "decided" index.*fresh data dir/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
