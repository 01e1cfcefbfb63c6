import { describe, expect, it } from "vitest";
import type { Approval, ApprovalState, AuditEvent } from "../../core/approval.js";
import { InvalidTransition } from "../../core/errors.js";
import {
  appendHistory,
  canMove,
  castVote,
  closeElsewhere,
  HISTORY_LIMIT,
  HISTORY_TRIMMED,
  isPastExpiry,
  markDelivered,
  markExpired,
  newApproval,
} from "../../core/state-machine.js";
import {
  ANA,
  aContext,
  aDecision,
  anApproval,
  aRequest,
  aRule,
  aVote,
  BOB,
  CARA,
  OPENED_AT,
} from "./builders.js";

const NOW = new Date("2026-12-01T10:00:00.000Z");
const LATER = new Date("2026-12-01T10:05:00.000Z");

const STATES: ApprovalState[] = [
  "pending",
  "deciding",
  "approved",
  "rejected",
  "expired",
  "closed-elsewhere",
];
const ALLOWED: Array<[ApprovalState, ApprovalState]> = [
  ["pending", "pending"],
  ["pending", "deciding"],
  ["pending", "expired"],
  ["pending", "closed-elsewhere"],
  ["deciding", "approved"],
  ["deciding", "rejected"],
  ["deciding", "expired"],
  ["deciding", "closed-elsewhere"],
];
const FORBIDDEN = STATES.flatMap((from) =>
  STATES.map((to): [ApprovalState, ApprovalState] => [from, to]),
).filter(([from, to]) => !ALLOWED.some(([f, t]) => f === from && t === to));

function inState(state: ApprovalState, approval: Approval = anApproval()): Approval {
  const vote = aVote(ANA);
  return { ...approval, state, ...(state === "pending" ? {} : { decision: aDecision(vote) }) };
}

/** Deep-frozen, so any mutation of the input throws. */
function frozen<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

describe("canMove", () => {
  it.each(ALLOWED)("allows %s → %s", (from, to) => {
    expect(canMove(from, to)).toBe(true);
  });

  it.each(FORBIDDEN)("forbids %s → %s", (from, to) => {
    expect(canMove(from, to)).toBe(false);
  });
});

describe("newApproval", () => {
  it("opens a pending record at version 0 with an audit entry", () => {
    // Prepare
    const request = aRequest();
    const rule = aRule();

    // Act
    const approval = newApproval({ id: "abc", request, context: aContext(), rule, now: new Date(OPENED_AT) });

    // Assess
    expect(approval).toEqual({
      id: "abc",
      version: 0,
      state: "pending",
      request,
      context: aContext(),
      rule,
      votes: {},
      links: {},
      channels: {},
      history: [{ at: OPENED_AT, event: "opened", detail: "rule shop production" }],
      createdAt: OPENED_AT,
      updatedAt: OPENED_AT,
    });
  });
});

describe("castVote", () => {
  it("decides on the first approval when the quorum is 1", () => {
    // Prepare
    const approval = frozen(anApproval());
    const vote = aVote(ANA, { comment: "ship it" });

    // Act
    const { approval: next, effect } = castVote(approval, vote, NOW);

    // Assess
    expect(effect).toBe("deciding");
    expect(next.state).toBe("deciding");
    expect(next.votes).toEqual({ [vote.principal]: vote });
    expect(next.decision).toEqual({ verdict: "approve", by: vote, approvals: [vote], at: NOW.toISOString() });
    expect(next.history.at(-1)).toEqual({
      at: NOW.toISOString(),
      event: "approved-vote",
      who: vote.principal,
      channel: "email",
      detail: "ship it",
    });
    expect(next.history).toHaveLength(2);
    expect(next.updatedAt).toBe(NOW.toISOString());
    expect(next.version).toBe(approval.version);
  });

  it("does not change the approval it was given", () => {
    const approval = frozen(anApproval({ rule: { quorum: 2 } }));

    const { approval: next } = castVote(approval, aVote(ANA), NOW);

    expect(approval.votes).toEqual({});
    expect(next).not.toBe(approval);
  });

  describe("with a quorum of 2", () => {
    const pending = () => anApproval({ rule: { quorum: 2 } });

    it("records the first approval and stays pending", () => {
      const { approval, effect } = castVote(pending(), aVote(ANA), NOW);

      expect(effect).toBe("recorded");
      expect(approval.state).toBe("pending");
      expect(approval.decision).toBeUndefined();
      expect(Object.keys(approval.votes)).toEqual(["email:ana@acme.io"]);
      expect(approval.history.at(-1)).toMatchObject({ event: "approved-vote", who: "email:ana@acme.io" });
    });

    it("decides when a second, different person approves", () => {
      const first = aVote(ANA);
      const second = aVote(BOB, { at: LATER.toISOString() });
      const { approval: once } = castVote(pending(), first, NOW);

      const { approval, effect } = castVote(once, second, LATER);

      expect(effect).toBe("deciding");
      expect(approval.state).toBe("deciding");
      expect(approval.decision).toEqual({
        verdict: "approve",
        by: second,
        approvals: [first, second],
        at: LATER.toISOString(),
      });
    });

    it("counts the same person approving twice once", () => {
      const { approval: once } = castVote(pending(), aVote(ANA), NOW);

      const { approval, effect } = castVote(once, aVote(ANA, { at: LATER.toISOString() }), LATER);

      expect(effect).toBe("duplicate");
      expect(approval).toBe(once);
      expect(approval.state).toBe("pending");
    });

    it("counts one principal once whatever channel the vote came from", () => {
      const principal = "person:Ana Lima";
      const { approval: once } = castVote(pending(), aVote(ANA, { principal }), NOW);

      const { effect } = castVote(once, aVote({ channel: "slack", id: "U0ANA1" }, { principal }), LATER);

      expect(effect).toBe("duplicate");
    });

    it("decides on one rejection, with no approvals counted", () => {
      const { approval: once } = castVote(pending(), aVote(ANA), NOW);
      const rejection = aVote(BOB, { verdict: "reject", comment: "broken checkout" });

      const { approval, effect } = castVote(once, rejection, LATER);

      expect(effect).toBe("deciding");
      expect(approval.decision).toEqual({
        verdict: "reject",
        by: rejection,
        approvals: [],
        at: LATER.toISOString(),
      });
      expect(approval.history.at(-1)).toMatchObject({ event: "rejected-vote", detail: "broken checkout" });
    });

    it("lets a person who approved change their mind and reject", () => {
      const { approval: once } = castVote(pending(), aVote(ANA), NOW);

      const { approval, effect } = castVote(once, aVote(ANA, { verdict: "reject" }), LATER);

      expect(effect).toBe("deciding");
      expect(approval.decision?.verdict).toBe("reject");
    });
  });

  it("needs three distinct approvals for a quorum of 3", () => {
    let approval = anApproval({ rule: { quorum: 3 } });
    const effects: string[] = [];

    for (const actor of [ANA, BOB, ANA, CARA]) {
      const result = castVote(approval, aVote(actor), NOW);
      approval = result.approval;
      effects.push(result.effect);
    }

    expect(effects).toEqual(["recorded", "recorded", "duplicate", "deciding"]);
    expect(approval.decision?.approvals.map((v) => v.actor.id)).toEqual([
      "ana@acme.io",
      "bob@acme.io",
      "cara@acme.io",
    ]);
  });

  it.each(STATES.filter((s) => s !== "pending"))("refuses a vote on a %s approval", (state) => {
    const approval = inState(state);

    expect(() => castVote(approval, aVote(BOB), NOW)).toThrow(InvalidTransition);
  });

  it("leaves the comment out of the history when there is none", () => {
    const { approval } = castVote(anApproval(), aVote(ANA), NOW);

    expect(approval.history.at(-1)).not.toHaveProperty("detail");
  });
});

describe("markDelivered", () => {
  it.each([
    ["approve", "approved"],
    ["reject", "rejected"],
  ] as const)("moves a deciding %s to %s and stamps the delivery", (verdict, state) => {
    const { approval: deciding } = castVote(anApproval(), aVote(ANA, { verdict }), NOW);

    const done = markDelivered(frozen(deciding), LATER);

    expect(done.state).toBe(state);
    expect(done.decision?.deliveredAt).toBe(LATER.toISOString());
    expect(done.decision?.at).toBe(NOW.toISOString());
    expect(done.history.at(-1)).toEqual({ at: LATER.toISOString(), event: `delivered-${state}` });
  });

  it.each(STATES.filter((s) => s !== "deciding"))("refuses a %s approval", (state) => {
    expect(() => markDelivered(inState(state), LATER)).toThrow(InvalidTransition);
  });

  it("refuses a deciding record without a decision", () => {
    const broken = { ...anApproval(), state: "deciding" as const };

    expect(() => markDelivered(broken, LATER)).toThrow(InvalidTransition);
  });
});

describe("closeElsewhere", () => {
  it.each(["pending", "deciding"] as const)("ends a %s approval with the reason", (state) => {
    const approval = frozen(inState(state));

    const closed = closeElsewhere(approval, "console", LATER);

    expect(closed.state).toBe("closed-elsewhere");
    expect(closed.closedReason).toBe("console");
    expect(closed.history.at(-1)).toEqual({
      at: LATER.toISOString(),
      event: "closed-elsewhere",
      detail: "console",
    });
  });

  it.each(["approved", "rejected", "expired", "closed-elsewhere"] as const)(
    "refuses a %s approval",
    (state) => {
      const error = (() => {
        try {
          closeElsewhere(inState(state), "invalid-token", LATER);
        } catch (e: unknown) {
          return e;
        }
        return undefined;
      })();

      expect(error).toBeInstanceOf(InvalidTransition);
      expect(error).toMatchObject({ from: state, to: "closed-elsewhere" });
    },
  );
});

describe("markExpired", () => {
  it.each(["pending", "deciding"] as const)("ends a %s approval", (state) => {
    const expired = markExpired(inState(state), LATER);

    expect(expired.state).toBe("expired");
    expect(expired.history.at(-1)).toEqual({ at: LATER.toISOString(), event: "expired" });
  });

  it.each(["approved", "rejected", "expired", "closed-elsewhere"] as const)(
    "refuses a %s approval",
    (state) => {
      expect(() => markExpired(inState(state), LATER)).toThrow(InvalidTransition);
    },
  );
});

describe("isPastExpiry", () => {
  const approval = anApproval({ request: { expiresAt: "2026-12-06T20:22:00.000Z" } });

  it.each([
    ["a week before", "2026-11-29T20:22:00.000Z", false],
    ["a millisecond before", "2026-12-06T20:21:59.999Z", false],
    ["at the minute", "2026-12-06T20:22:00.000Z", true],
    ["after", "2026-12-06T20:22:00.001Z", true],
  ])("%s → %s", (_label, now, past) => {
    expect(isPastExpiry(approval, new Date(now))).toBe(past);
  });
});

describe("appendHistory: the record's history stays bounded (docs/security.md#33-nothing-grows-without-bound)", () => {
  const at = (n: number) => new Date(Date.parse(OPENED_AT) + n * 60_000).toISOString();
  const reminder = (n: number): AuditEvent => ({ at: at(n), event: "reminder", detail: `#${n}` });
  const grow = (start: AuditEvent[], events: AuditEvent[]) =>
    events.reduce<AuditEvent[]>((h, e) => appendHistory(h, e), start);
  const opened: AuditEvent = { at: at(0), event: "opened", detail: "rule shop" };
  const countOf = (h: AuditEvent[]) =>
    Number.parseInt(h.find((e) => e.event === HISTORY_TRIMMED)?.detail ?? "0", 10);

  it("appends as before up to the limit", () => {
    const history = grow(
      [opened],
      Array.from({ length: HISTORY_LIMIT - 1 }, (_, i) => reminder(i + 1)),
    );

    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.some((e) => e.event === HISTORY_TRIMMED)).toBe(false);
    expect(history.at(-1)).toEqual(reminder(HISTORY_LIMIT - 1));
  });

  it("past it: the first events, one marker counting what was dropped, the newest events", () => {
    const total = 5000;
    const history = grow(
      [opened],
      Array.from({ length: total }, (_, i) => reminder(i + 1)),
    );

    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]).toEqual(opened);
    expect(history[1]).toEqual(reminder(1));
    expect(history[10]).toMatchObject({
      event: HISTORY_TRIMMED,
      detail: expect.stringContaining("events not kept"),
    });
    expect(history.at(-1)).toEqual(reminder(total));
    // Every event is either kept or counted.
    expect(history.length - 1 + countOf(history)).toBe(total + 1);
  });

  it("drops reminders before votes: a vote among thousands of reminders stays", () => {
    const vote: AuditEvent = {
      at: at(50),
      event: "approved-vote",
      who: "email:ana@acme.io",
      channel: "email",
    };
    const before = Array.from({ length: 49 }, (_, i) => reminder(i + 1));
    const after = Array.from({ length: 2000 }, (_, i) => reminder(i + 51));

    const history = grow([opened], [...before, vote, ...after]);

    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history).toContainEqual(vote);
    expect(history.at(-1)).toEqual(reminder(2050));
  });

  it("bounds even a history of events that are not reminders, keeping the first and the newest", () => {
    const events = Array.from(
      { length: 300 },
      (_, i): AuditEvent => ({ at: at(i + 1), event: `deploy-${i}` }),
    );

    const history = grow([opened], events);

    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]).toEqual(opened);
    expect(history.at(-1)).toEqual(events.at(-1));
    expect(history.length - 1 + countOf(history)).toBe(301);
  });

  it("castVote goes through it: a vote on a long history keeps the record bounded", () => {
    const long = {
      ...anApproval({ rule: { quorum: 2 } }),
      history: grow(
        [opened],
        Array.from({ length: 400 }, (_, i) => reminder(i + 1)),
      ),
    };

    const { approval } = castVote(long, aVote(ANA), LATER);

    expect(approval.history).toHaveLength(HISTORY_LIMIT);
    expect(approval.history.at(-1)).toMatchObject({ event: "approved-vote" });
  });
});
