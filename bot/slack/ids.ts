/**
 * The ids Greenlight puts on its Slack buttons and modals, and reads back from interactions. They
 * are part of the wire contract with messages already posted: rename one and old messages' buttons
 * fall through to the "unknown action" answer.
 */
export const ACTION = {
  approve: "greenlight_approve",
  approveWithComment: "greenlight_approve_comment",
  reject: "greenlight_reject",
} as const;

export const VIEW = {
  approve: "greenlight_approve_modal",
  reject: "greenlight_reject_modal",
} as const;

/** Input blocks of the decision modals; the block id doubles as the action id. */
export const INPUT = {
  comment: "comment",
  reason: "reason",
  confirmation: "confirmation",
} as const;

/** Approval ids are 128 bits, base64url (see core/tokens.ts). */
export const APPROVAL_ID = /^[A-Za-z0-9_-]{22}$/;

/** Limits we enforce before Slack does, so a long comment fails with our message, not Slack's. */
export const MAX_COMMENT = 1000;
