import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePolicyObject } from "../../core/policy.js";
import {
  type AllChannels,
  ANA,
  REPO,
  SLACK_CHANNEL,
  startAllChannels,
  TARGET,
} from "../../local/all-channels.js";
import { connectionsRevisionUrl } from "../../local/pipeline/sample.js";
import { putCalls } from "../support/simulator.js";

// Three developers wrote the release; each is also an approver on every channel (under people:),
// which is exactly what an author trying to wave their own change through would use. Dan wrote
// nothing and approves.
const AUTHORS = [
  { name: "Alice Wu", email: "alice@acme.io", slack: "U0ALICE01", github: "alice-wu" },
  { name: "Bob Ng", email: "bob@acme.io", slack: "U0BOBNG01", github: "bob-ng" },
  { name: "Carol Ruiz", email: "carol@acme.io", slack: "U0CAROL01", github: "carol-ruiz" },
];
const DAN = { name: "Dan Ode", email: "dan@acme.io", github: "dan-ode" };

const policy = parsePolicyObject({
  version: 1,
  people: [ANA, ...AUTHORS, DAN],
  rules: [
    {
      name: "shop-web production",
      match: { pipeline: "shop-*" },
      email: { recipients: [ANA.email, ...AUTHORS.map((a) => a.email), DAN.email] },
      slack: { channel: SLACK_CHANNEL, approvers: { users: [ANA.slack, ...AUTHORS.map((a) => a.slack)] } },
      github: { repo: REPO, approvers: { logins: [ANA.github, ...AUTHORS.map((a) => a.github)] } },
    },
  ],
});

describe("a release of 5 merged pull requests by 3 authors, on every channel (local stack, real HTTP)", () => {
  let world: AllChannels;
  let id: string;
  let numbers: number[];

  beforeAll(async () => {
    world = await startAllChannels({ policy });
    const state = world.github.standIn.state;
    for (const a of AUTHORS) world.github.standIn.person(a.github, { repo: REPO, role: "write" });
    // Production runs `base` (Greenlight recorded its deploy); five PRs were merged since.
    const release = state.seedRelease(REPO, { authors: AUTHORS.map((a) => a.github), pulls: 5 });
    numbers = release.pulls.map((p) => p.number);
    await world.stack.deploys.recordDeployed(TARGET, release.base, "2026-11-28T10:00:00.000Z");
    id = await world.open({
      commit: release.head,
      summary: JSON.stringify({ ProviderType: "GitHub", CommitMessage: `Merge pull request #${numbers[4]}` }),
      url: connectionsRevisionUrl(REPO, release.head),
    });
    await world.stack.settled();
  });
  afterAll(() => world.stack.close());

  it("reads the whole release from the commit production runs: 5 PRs, their authors", async () => {
    const approval = await world.stack.store.get(id);

    expect(approval?.context.release?.pulls.map((p) => p.number).toSorted()).toEqual(numbers);
    expect(approval?.context.release?.baseFrom).toBe("deployed");
    expect(approval?.context.authors.logins).toEqual(expect.arrayContaining(AUTHORS.map((a) => a.github)));
  });

  it("lists all 5 in the e-mail, on the confirmation page, in Slack and on the pull request", async () => {
    const { emails, comments, messages } = await world.views(id);
    const slackText = JSON.stringify(messages.at(-1)?.blocks ?? []);
    const page = await (await fetch(await world.emailLink(id))).text();

    expect(emails.length).toBeGreaterThan(0);
    for (const n of numbers) {
      expect(emails[0]?.body.text).toContain(`#${n} Release change #${n}`);
      expect(page).toContain(`#${n}</a> Release change #${n}`);
      expect(comments[0]?.body).toContain(`- #${n} Release change \\#${n}`);
      expect(slackText).toContain(`|#${n}> Release change #${n}`);
    }
  });

  it("refuses each author on e-mail, Slack and GitHub, and records nothing", async () => {
    for (const a of AUTHORS) {
      expect(await world.emailDecision(id, a.email, "approve")).toBe(403);
      await world.post("/slack/events", await world.slackClick(id, { id: a.slack, name: a.github }));
      await world.post("/github/webhooks", await world.githubApprove(id, a.github));
    }
    await world.stack.settled();
    const approval = await world.stack.store.get(id);

    expect(approval?.state).toBe("pending");
    expect(Object.keys(approval?.votes ?? {})).toEqual([]);
    expect(putCalls(world.stack.simulator)).toEqual([]);
  });

  it("a fourth person approves: exactly one PutApprovalResult, naming them", async () => {
    expect(await world.emailDecision(id, DAN.email, "approve")).toBe(200);
    await world.stack.settled();

    const calls = putCalls(world.stack.simulator);
    expect(calls).toHaveLength(1);
    expect(JSON.stringify(calls[0]?.params)).toContain("Dan Ode");
    expect((await world.stack.store.get(id))?.state).toBe("approved");
  });
});
