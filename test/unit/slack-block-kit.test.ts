import type {
  Button,
  ConfirmationDialog,
  KnownBlock,
  ModalView,
  MrkdwnElement,
  PlainTextElement,
  PlainTextInput,
} from "@slack/types";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  messageProblems,
  modalProblems,
  type StandInMessageBlock,
  type StandInModalView,
} from "../../local/slack/block-kit.js";

/** Keys our schema allows on a block or element that Slack's type for it does not have. */
type Extra<Ours, Theirs> = Exclude<keyof Ours, keyof Theirs>;
type OurBlock<K> = Extract<StandInMessageBlock | StandInModalView["blocks"][number], { type: K }>;
type SlackBlock<K> = Extract<KnownBlock, { type: K }>;
type OurButton = OurBlock<"actions">["elements"][number];
type OurText = OurBlock<"context">["elements"][number];

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

describe("the Slack stand-in's Block Kit, against Slack's published types and reference", () => {
  it("accepts nothing @slack/types forbids: every block it takes is a KnownBlock, every modal a ModalView", () => {
    // Type level, checked by `tsc` (npm test): loosen a schema beyond the types and this fails to compile.
    expectTypeOf<StandInMessageBlock>().toExtend<KnownBlock>();
    expectTypeOf<StandInModalView>().toExtend<ModalView>();
    // Assignability allows extra keys; these say the schemas have no key Slack's types lack.
    expectTypeOf<Extra<OurBlock<"section">, SlackBlock<"section">>>().toEqualTypeOf<never>();
    expectTypeOf<Extra<OurBlock<"header">, SlackBlock<"header">>>().toEqualTypeOf<never>();
    expectTypeOf<Extra<OurBlock<"context">, SlackBlock<"context">>>().toEqualTypeOf<never>();
    expectTypeOf<Extra<OurBlock<"actions">, SlackBlock<"actions">>>().toEqualTypeOf<never>();
    expectTypeOf<Extra<OurBlock<"input">, SlackBlock<"input">>>().toEqualTypeOf<never>();
    expectTypeOf<Extra<OurButton, Button>>().toEqualTypeOf<never>();
    expectTypeOf<Extra<NonNullable<OurButton["confirm"]>, ConfirmationDialog>>().toEqualTypeOf<never>();
    expectTypeOf<Extra<OurBlock<"input">["element"], PlainTextInput>>().toEqualTypeOf<never>();
    expectTypeOf<Extra<Extract<OurText, { type: "mrkdwn" }>, MrkdwnElement>>().toEqualTypeOf<never>();
    expectTypeOf<Extra<Extract<OurText, { type: "plain_text" }>, PlainTextElement>>().toEqualTypeOf<never>();
    expectTypeOf<Extra<StandInModalView, ModalView>>().toEqualTypeOf<never>();

    // The run-time side of the same rule: a key the type does not have is refused.
    const emojiOnMrkdwn = { type: "section", text: { type: "mrkdwn", text: "x", emoji: true } };
    expect(messageProblems([emojiOnMrkdwn])).not.toEqual([]);
    expect(
      messageProblems([{ type: "header", text: { type: "mrkdwn", text: "headers are plain" } }]),
    ).not.toEqual([]);
  });

  it("section text: 3000 characters pass, 3001 are refused in Slack's words", () => {
    expect(messageProblems([section("x".repeat(3000))])).toEqual([]);
    expect(messageProblems([section("x".repeat(3001))])).toEqual([
      "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
    ]);
  });

  it("fields: each at most 2000 characters, at most 10 of them", () => {
    const field = (n: number) => ({ type: "mrkdwn", text: "x".repeat(n) });
    expect(messageProblems([{ type: "section", fields: [field(2000)] }])).toEqual([]);
    expect(messageProblems([{ type: "section", fields: [field(2001)] }])).toEqual([
      "[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]",
    ]);
    expect(
      messageProblems([{ type: "section", fields: Array.from({ length: 11 }, () => field(1)) }]),
    ).toHaveLength(1);
  });

  it("a message holds at most 50 blocks; a button's value at most 2000 characters, its action_id 255", () => {
    expect(messageProblems(Array.from({ length: 50 }, () => ({ type: "divider" })))).toEqual([]);
    expect(messageProblems(Array.from({ length: 51 }, () => ({ type: "divider" })))).toHaveLength(1);
    const button = (value: string, actionId: string) => ({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Go" }, value, action_id: actionId }],
    });
    expect(messageProblems([button("v".repeat(2000), "a".repeat(255))])).toEqual([]);
    expect(messageProblems([button("v".repeat(2001), "a")])).toHaveLength(1);
    expect(messageProblems([button("v", "a".repeat(256))])).toHaveLength(1);
  });

  it("a section needs text or fields; a modal with inputs needs a submit button", () => {
    expect(messageProblems([{ type: "section" }])).toHaveLength(1);
    const modal = {
      type: "modal",
      title: { type: "plain_text", text: "Reject deploy" },
      blocks: [
        {
          type: "input",
          label: { type: "plain_text", text: "Why?" },
          element: { type: "plain_text_input", action_id: "reason" },
        },
      ],
    };
    expect(modalProblems(modal)).toEqual([
      "[ERROR] a modal with inputs needs a submit button [json-pointer:/view]",
    ]);
    expect(modalProblems({ ...modal, submit: { type: "plain_text", text: "Reject" } })).toEqual([]);
  });
});
