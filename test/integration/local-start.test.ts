import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Launched, launch, parseLaunchArgs } from "../../local/launch.js";
import { linksByRecipient } from "../support/stack.js";
import { waitFor } from "../support/wait.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const quiet = () => {};

/** Handles a stack leaves behind would keep `npm start` from exiting after Ctrl-C. */
const openHandles = () =>
  process
    .getActiveResourcesInfo()
    .filter((r) => r === "TCPServerWrap" || r === "TCPSocketWrap" || r === "Timeout");

describe("npm start: the same launch code, in memory and on a data folder", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("starts with --memory on a free port, answers, and stops leaving no open handle", async () => {
    const before = openHandles().length;
    const running = await launch(parseLaunchArgs(["--memory"], { PORT: "0" }), quiet);

    const health = await fetch(`${running.stack.url}/healthz`, { headers: { connection: "close" } });
    const page = await fetch(`${running.stack.url}/local`, { headers: { connection: "close" } });
    const pipelines = await fetch(`${running.stack.url}/local/pipelines`, {
      headers: { connection: "close" },
    });
    await running.stop();

    expect(health.status).toBe(200);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Start a run");
    expect(await pipelines.json()).toEqual({ pipelines: ["shop-web"] });
    await waitFor("every handle to close", () => openHandles().length <= before, 3_000);
  });

  it("a restart on the same data folder carries on: the approval, its run and the e-mail link still work", async () => {
    const dir = await mkdtemp(join(tmpdir(), "greenlight-data-"));
    dirs.push(dir);
    const args = ["--data", dir, "--time-scale", "0.005"];
    // The same port both times, as `npm start` has: the links in the kept e-mails point at it. The
    // first start picks a free one itself (no check-then-use race); the second asks for the same.
    const first: Launched = await launch(parseLaunchArgs(args, { PORT: "0" }), quiet);
    const env = { PORT: new URL(first.stack.url).port };
    const { executionId } = first.stack.pipelines?.runner.start("shop-web") ?? { executionId: "" };
    const opened = await waitFor("the approval", async () => (await first.stack.store.inner.listAll())[0]);
    await first.stack.settled();
    await first.stop();

    const second = await launch(parseLaunchArgs(args, env), quiet);
    const found = await second.stack.store.get(opened.id);
    const listed = await (await fetch(`${second.stack.url}/local/approvals`)).json();
    const waiting = second.stack.simulator.runs("shop-web").find((r) => r.executionId === executionId);
    const link = (await linksByRecipient(second.stack)).get("ana@acme.io") ?? "";
    const decided = await fetch(link.split("?")[0] ?? link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        t: new URL(link).searchParams.get("t") ?? "",
        verdict: "approve",
      }).toString(),
    });
    const run = await waitFor("the run to reach production", () =>
      second.stack.simulator
        .runs("shop-web")
        .find((r) => r.executionId === executionId && r.status === "Succeeded"),
    );
    await second.stop();

    expect(found?.context.executionId).toBe(executionId);
    expect(found?.state).toBe("pending");
    expect(JSON.stringify(listed)).toContain(opened.id);
    expect(waiting?.stages.find((s) => s.name === "Approval")?.status).toBe("InProgress");
    expect(decided.status).toBe(200);
    expect(run.stages.at(-1)).toMatchObject({ name: "Production", status: "Succeeded" });
    await expect(readFile(join(dir, "greenlight.pid"), "utf8")).rejects.toThrow();
  });

  it("the sample policy shows self-approval refused: Dana, the PR's author and an approver, cannot approve her change; Bo can", async () => {
    const running = await launch(
      parseLaunchArgs(["--memory", "--time-scale", "0.005"], { PORT: "0" }),
      quiet,
    );
    try {
      const { stack } = running;
      stack.pipelines?.runner.start("shop-web");
      const pull = await waitFor("the approval on the pull request", async () => {
        await stack.settled();
        return stack.github?.standIn.state.comments.length ? stack.github.standIn.state.pulls[0] : undefined;
      });
      const github = stack.github;
      if (!github) throw new Error("no GitHub stand-in");
      expect(pull.author).toBe("dev-dana");
      const bots = () =>
        github.standIn.state.comments.filter((c) => c.user.type === "Bot").map((c) => c.body);
      const before = bots().length;

      await github.comment({ repo: "acme/shop-web", pr: pull.number, login: "dev-dana", text: "/approve" });
      await stack.settled();
      const afterDana = stack.simulator.calls.filter((c) => c.operation === "PutApprovalResult").length;
      const refusal = bots().slice(before).join("\n");
      await github.comment({ repo: "acme/shop-web", pr: pull.number, login: "bo-chen", text: "/approve" });
      await stack.settled();

      expect(afterDana).toBe(0);
      expect(refusal).toMatch(/^@dev-dana you cannot approve a deploy of your own change/);
      expect(stack.simulator.calls.filter((c) => c.operation === "PutApprovalResult")).toHaveLength(1);
    } finally {
      await running.stop();
    }
  });

  it("as a process: prints the dashboard URL and what to try, and exits by itself on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "local/main.ts", "--memory"], {
      cwd: ROOT,
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += String(chunk);
    });
    child.stderr.on("data", (chunk) => {
      out += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    let health: Response;
    let code: unknown;
    try {
      const url = await waitFor("the dashboard URL", () => /Dashboard\s+(http:\S+)/.exec(out)?.[1], 15_000);
      health = await fetch(new URL("/healthz", url), { headers: { connection: "close" } });
      child.kill("SIGTERM");
      code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 10_000))]);
    } finally {
      // Whatever failed above, no stack is left running after the test.
      if (child.exitCode === null) child.kill("SIGKILL");
    }

    expect(health.status).toBe(200);
    expect(out).toMatch(/What to try:\n {2}1\. .+\n {2}2\. .+\n {2}3\. .+\n/);
    expect(code).toBe(0);
    expect(out).toContain("Stopped.");
    expect(out).not.toContain("NodeVersionSupportWarning");
  }, 30_000);
});
