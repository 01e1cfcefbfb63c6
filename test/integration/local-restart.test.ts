import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parsePolicy } from "../../core/policy-yaml.js";
import { type Stack, type StackOptions, startStack } from "../../local/stack.js";
import { captureLogs } from "../support/logs.js";
import { waitFor } from "../support/wait.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const REPO = "acme/shop-web";
const CHANNEL = "C0SHOPREL";
// The policy `npm start` reads: shop-web goes to e-mail, Slack and the pull request.
const policy = parsePolicy(readFileSync(join(ROOT, "greenlight.yml"), "utf8"), "greenlight.yml");

/** What `npm start` starts on a data folder (local/launch.ts), with the logger in the test's hands. */
function startOn(dir: string, productionMs: number, log: StackOptions["log"]): Promise<Stack> {
  return startStack({
    policy,
    log,
    dataDir: join(dir, "dynamodb"),
    stateDir: dir,
    // Quick up to the approval; production as long as the test needs it to be.
    pipelines: {
      stageMs: { Source: 5, Build: 5, Staging: 5, Production: productionMs },
      sweepEveryMs: 60_000,
    },
    slack: true,
    github: {
      autoPullAuthor: "dev-dana",
      people: [
        { login: "ana-lima", role: "maintain" },
        { login: "bo-chen", role: "maintain" },
      ],
    },
  });
}

/** pino's error and fatal lines (50, 60): a refused late decision is a warning, and expected. */
const errorsIn = (logs: ReturnType<typeof captureLogs>) =>
  logs.entries().filter((e) => typeof e.level === "number" && e.level >= 50);

describe("npm start on a data folder: a restart keeps the stand-ins' state", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("Slack messages, the PR comment and check run, and the call log survive; later updates land on them", async () => {
    // Prepare: an approval reaches Slack and the PR, Ana approves on GitHub, the stack stops mid-deploy.
    const dir = await mkdtemp(join(tmpdir(), "greenlight-restart-"));
    dirs.push(dir);
    const firstLogs = captureLogs();
    const first = await startOn(dir, 600_000, firstLogs.log);
    const { executionId } = first.pipelines?.runner.start("shop-web") ?? { executionId: "" };
    await waitFor("the approval on the PR and in Slack", async () => {
      await first.settled();
      const github = first.github?.standIn.state;
      return github?.comments.length && github.checkRuns.length && first.slack?.standIn.messages(CHANNEL)[0];
    });
    const pull = first.github?.standIn.state.pulls[0];
    if (!pull || !first.github) throw new Error("no pull request");
    const approved = await first.github.comment({
      repo: REPO,
      pr: pull.number,
      login: "ana-lima",
      text: "/approve",
    });
    await waitFor("Production to start", async () => {
      await first.settled();
      return first.simulator
        .runs("shop-web")
        .find((r) => r.executionId === executionId)
        ?.stages.find((s) => s.name === "Production" && s.status === "InProgress");
    });
    await first.settled();
    // What the first stack left, once stopped (events on their way were delivered first).
    await first.close();
    const before = {
      slack: structuredClone(first.slack?.standIn.messages(CHANNEL)),
      comments: structuredClone(first.github.standIn.state.comments),
      checkRuns: structuredClone(first.github.standIn.state.checkRuns),
      calls: first.simulator.callLog(),
    };

    // Act: start again on the same folder; production finishes; Bo approves too late on the PR.
    const secondLogs = captureLogs();
    const second = await startOn(dir, 5, secondLogs.log);
    const kept = {
      slack: structuredClone(second.slack?.standIn.messages(CHANNEL)),
      comments: structuredClone(second.github?.standIn.state.comments),
      checkRuns: structuredClone(second.github?.standIn.state.checkRuns),
      calls: second.simulator.callLog(),
    };
    await waitFor("the run to reach production", () =>
      second.simulator
        .runs("shop-web")
        .find((r) => r.executionId === executionId && r.status === "Succeeded"),
    );
    await waitFor("the deploy outcome on the Slack message", async () => {
      await second.settled();
      return (
        (second.slack?.standIn.messages(CHANNEL)[0]?.history.length ?? 0) >
        (kept.slack?.[0]?.history.length ?? 0)
      );
    });
    // A second decision on the kept PR: Greenlight must find the approval and refuse it as decided.
    const late = await second.github?.comment({
      repo: REPO,
      pr: pull.number,
      login: "bo-chen",
      text: "/approve",
    });
    await second.settled();
    const after = {
      slack: second.slack?.standIn.messages(CHANNEL) ?? [],
      comments: second.github?.standIn.state.comments ?? [],
      checkRuns: second.github?.standIn.state.checkRuns ?? [],
      puts: second.simulator.calls.filter((c) => c.operation === "PutApprovalResult"),
    };
    await second.close();

    // Assess
    expect(approved.status).toBe(200);
    expect(before.slack).toHaveLength(1);
    expect(before.comments.length).toBeGreaterThan(0);
    expect(before.checkRuns.length).toBeGreaterThan(0);
    expect(before.calls).toContain("PutApprovalResult");
    expect(kept).toEqual(before);
    // The outcome went onto the same message, comment and check run: nothing new was posted.
    expect(after.slack.map((m) => m.ts)).toEqual(before.slack?.map((m) => m.ts));
    expect(after.slack[0]?.history.length).toBeGreaterThan(before.slack?.[0]?.history.length ?? 0);
    const [status] = before.comments.filter((c) => c.user.type === "Bot");
    const edited = after.comments.find((c) => c.id === status?.id);
    expect(edited?.edits).toBeGreaterThan(status?.edits ?? 0);
    expect(edited?.body).toContain("Deployed");
    const reply = after.comments.filter((c) => c.user.type === "Bot" && c.id !== status?.id);
    expect(reply.map((c) => c.body)).toEqual([
      expect.stringContaining("@bo-chen nothing changed: approved."),
    ]);
    expect(after.checkRuns.map((r) => r.id)).toEqual(before.checkRuns.map((r) => r.id));
    expect(late?.status).toBe(200);
    // Bo's late /approve was refused by Greenlight: CodePipeline was answered once, before the restart.
    expect(after.puts).toHaveLength(1);
    expect(errorsIn(firstLogs)).toEqual([]);
    expect(errorsIn(secondLogs)).toEqual([]);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 60_000);

  it("a damaged state file: a warning naming it and a fresh start, not a crash", async () => {
    const dir = await mkdtemp(join(tmpdir(), "greenlight-damaged-"));
    dirs.push(dir);
    await writeFile(join(dir, "slack.json"), '{"version":1,"fields":{"messages":[{"ts":');
    await writeFile(join(dir, "codepipeline-calls.json"), '{"version":7}');
    const logs = captureLogs();

    const stack = await startOn(dir, 5, logs.log);
    const messages = stack.slack?.standIn.messages() ?? [];
    const calls = stack.simulator.calls.length;
    await stack.close();

    expect(messages).toEqual([]);
    expect(calls).toBe(0);
    const warned = logs.entries().filter((e) => e.level === 40);
    expect(warned.map((e) => e.file)).toEqual([
      join(dir, "codepipeline-calls.json"),
      join(dir, "slack.json"),
    ]);
    expect(String(warned[0]?.msg)).toContain("starting this part afresh");
  });
});
